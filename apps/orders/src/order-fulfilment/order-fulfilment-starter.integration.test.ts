import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { requireReachable } from '@faultline/shared/testing';
import { ORDER_FULFILMENT_STARTER, type OrderFulfilmentOptions } from './order-fulfilment-options.js';
import { OrderFulfilmentStarter, fulfilmentWorkflowId } from './order-fulfilment-starter.js';
import { connectTemporalClient } from '@faultline/shared/temporal-worker';

const env = readFaultlineEnvironment();

// On the real Temporal dev server, with a task queue no worker polls: the workflows stay scheduled,
// and the test terminates them at the end.
describe('order fulfilment starter', () => {
  let client: Client;
  let starter: OrderFulfilmentStarter;
  const started: string[] = [];

  before(async () => {
    await requireReachable('Temporal dev server', Number(env.TEMPORAL_PORT));
    const temporal = { address: `127.0.0.1:${env.TEMPORAL_PORT}`, namespace: env.TEMPORAL_NAMESPACE ?? 'default' };
    client = await connectTemporalClient(temporal);
    const options: OrderFulfilmentOptions = {
      mode: 'saga',
      temporal,
      taskQueue: `order-fulfilment-starter-test-${randomUUID()}`,
      billingUrl: 'http://127.0.0.1:1',
      starter: ORDER_FULFILMENT_STARTER,
    };
    starter = new OrderFulfilmentStarter(client, options);
  });

  after(async () => {
    for (const workflowId of started) await client.workflow.getHandle(workflowId).terminate('test over').catch(() => undefined);
    await client?.connection.close();
  });

  it('starts one workflow per order, id order-<orderId>, and treats a second start as already done', async () => {
    const order = { orderId: randomUUID(), customerId: randomUUID(), amountMinor: 1_500, currency: 'JPY' };
    started.push(fulfilmentWorkflowId(order.orderId));
    assert.equal(await starter.start(order), 'started');
    assert.equal(await starter.start(order), 'already-started');
    const description = await client.workflow.getHandle(`order-${order.orderId}`).describe();
    assert.equal(description.type, 'orderFulfilment');
    assert.equal(description.status.name, 'RUNNING');
  });

  it('refuses to start an order again once its workflow has closed, so a redelivered event cannot charge twice', async () => {
    const order = { orderId: randomUUID(), customerId: randomUUID(), amountMinor: 900, currency: 'EUR' };
    assert.equal(await starter.start(order), 'started');
    await client.workflow.getHandle(fulfilmentWorkflowId(order.orderId)).terminate('closed for the test');
    assert.equal(await starter.start(order), 'already-started');
  });
});

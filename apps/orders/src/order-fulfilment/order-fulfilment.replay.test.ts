import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { startTimeSkippingEnvironment } from '@faultline/shared/temporal-testing';
import { tracingClientInterceptors, workerTracing } from '@faultline/shared/temporal-worker';
import { FulfilmentDoubles } from './fulfilment-doubles.js';
import type { OrderFulfilmentInput } from './order-fulfilment-activity-interface.js';
import { orderFulfilment } from './order-fulfilment.workflow.js';

const workflowsPath = fileURLToPath(new URL('./order-workflows.js', import.meta.url));
/** An order paid by the workflow as it was before it carried a correlationId, and before workers traced it. */
const recordedBefore = fileURLToPath(new URL('../../src/order-fulfilment/test-fixtures/order-fulfilment-paid.history.json', import.meta.url));
// A History object, not JSON: the SDK's own JSON reader fails in this install (two protobufjs copies).
const { History } = proto.temporal.api.history.v1;
type RecordedHistory = proto.temporal.api.history.v1.IHistory;

const traced: Partial<ReplayWorkerOptions> = workerTracing(new NoopSpanProcessor()).options;
const untraced: Partial<ReplayWorkerOptions> = {};

/** Replays a history on the current workflow code; rejects with a DeterminismViolationError if the code would decide otherwise. */
const replay = (history: RecordedHistory, options: Partial<ReplayWorkerOptions>) =>
  Worker.runReplayHistory({ workflowsPath, ...options }, History.fromObject(history));

// Workflows already running when the orders service is updated are replayed by the new code: the
// histories recorded before it must replay with tracing on or off, and those recorded with tracing on
// must replay with it off (a service restarted with OTEL_SDK_DISABLED=true).
describe('OrderFulfilment replay', () => {
  let env: TestWorkflowEnvironment;

  before(async () => {
    env = await startTimeSkippingEnvironment();
  });

  after(() => env?.teardown());

  it('replays a workflow recorded before the correlationId and the tracing interceptors, traced or not', async () => {
    const history = JSON.parse(await readFile(recordedBefore, 'utf8')) as RecordedHistory;
    await replay(history, traced);
    await replay(history, untraced);
  });

  it('replays a workflow recorded by a traced worker, with its correlationId, on a worker that does not trace', async () => {
    const order: OrderFulfilmentInput = { orderId: randomUUID(), customerId: randomUUID(), amountMinor: 2_800, currency: 'EUR', correlationId: 'flow-1' };
    const double = new FulfilmentDoubles(order);
    const taskQueue = `order-fulfilment-replay-${order.orderId}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath, activities: double.activities(), ...traced });
    const client = new Client({ connection: env.connection, interceptors: tracingClientInterceptors() });
    const workflowId = `order-${order.orderId}`;
    const result = await worker.runUntil(client.workflow.execute(orderFulfilment, { args: [order], taskQueue, workflowId }));
    assert.equal(result.status, 'paid');
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    await replay(history, untraced);
    await replay(history, traced);
  });
});

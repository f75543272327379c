import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { requireReachable } from '@faultline/shared/testing';
import { infra } from '../environment.js';
import { createSmokeWorker } from './worker.js';
import { roundTripWorkflow } from './smoke.workflows.js';

describe('Temporal dev server', () => {
  const address = `127.0.0.1:${infra.TEMPORAL_PORT}`;
  let connection: Connection;
  let nativeConnection: NativeConnection;

  before(async () => {
    await requireReachable('Temporal dev server', infra.TEMPORAL_PORT);
    [connection, nativeConnection] = await Promise.all([Connection.connect({ address }), NativeConnection.connect({ address })]);
  });

  after(async () => {
    await Promise.allSettled([connection?.close(), nativeConnection?.close()]);
  });

  it('runs a workflow and its activity on a worker of ours', async () => {
    const taskQueue = `infra-tests-${randomUUID()}`;
    const worker = await createSmokeWorker(nativeConnection, infra.TEMPORAL_NAMESPACE, taskQueue);
    const client = new Client({ connection, namespace: infra.TEMPORAL_NAMESPACE });
    const result = await worker.runUntil(
      client.workflow.execute(roundTripWorkflow, { taskQueue, workflowId: `round-trip-${randomUUID()}`, args: ['dev server'] }),
    );
    assert.equal(result, 'dev server ran a workflow and an activity');
  });
});

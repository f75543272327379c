import assert from 'node:assert/strict';
import { access, constants } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { infra, temporalTestServerExecutable } from '../environment.js';
import { createSmokeWorker } from './worker.js';
import { monthLongTimerWorkflow } from './smoke.workflows.js';

describe('Temporal time-skipping test server (Java, from Maven Central)', () => {
  let env: TestWorkflowEnvironment;

  before(async () => {
    const path = temporalTestServerExecutable();
    await access(path, constants.X_OK).catch(() => {
      throw new Error(`${path} is missing — run \`npm run infra:up\`, which builds it from Maven Central.`);
    });
    // @temporalio/testing would otherwise download the server from the internet; here it runs ours.
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path }, port: infra.TEMPORAL_TEST_SERVER_PORT },
    });
  });

  after(async () => {
    await env?.teardown();
  });

  it('skips a thirty-day timer instead of waiting for it', async () => {
    const taskQueue = `infra-tests-${randomUUID()}`;
    const worker = await createSmokeWorker(env.nativeConnection, env.namespace ?? 'default', taskQueue);
    const observed = await worker.runUntil(
      env.client.workflow.execute(monthLongTimerWorkflow, { taskQueue, workflowId: `month-${randomUUID()}` }),
    );
    assert.ok(observed >= 30 * 24 * 3600 * 1000, `workflow observed only ${observed} ms passing`);
  });
});

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { readFaultlineEnvironment } from '../config/index.js';
import { requireReachable } from '../testing/index.js';
import { HostedWorker } from './hosted-worker.js';
import { connectTemporalClient, connectTemporalWorker } from './temporal-connections.js';

const env = readFaultlineEnvironment();
const temporal = { address: `127.0.0.1:${env.TEMPORAL_PORT}`, namespace: env.TEMPORAL_NAMESPACE ?? 'default' };
const workflowsPath = fileURLToPath(new URL('./test-fixtures/greeting.workflows.js', import.meta.url));
const logger = pino({ level: 'silent' });

describe('a Temporal worker hosted in a service process', () => {
  let client: Client;

  before(async () => {
    await requireReachable('Temporal dev server', Number(env.TEMPORAL_PORT));
    client = await connectTemporalClient(temporal);
  });

  after(async () => {
    await client?.connection.close();
  });

  it('runs workflows and activities of its task queue until stopped, then stops polling', async () => {
    const taskQueue = `hosted-worker-${randomUUID()}`;
    const worker = new HostedWorker({
      purpose: 'greeting',
      temporal,
      taskQueue,
      workflowsPath,
      activities: { greet: async (name: string) => `hello, ${name}` },
      logger,
      consequence: 'nobody is greeted',
    });
    await worker.start();
    try {
      const greeting = await client.workflow.execute('greetingWorkflow', { taskQueue, workflowId: `greeting-${randomUUID()}`, args: ['Ada'] });
      assert.equal(greeting, 'hello, Ada');
    } finally {
      await worker.stop();
    }
  });

  it('says how to start Temporal, and the way around it, when the server is not there', async () => {
    await assert.rejects(connectTemporalWorker('127.0.0.1:1', 'set X_FULFILMENT=off'), (error: Error) => {
      assert.match(error.message, /Temporal is not reachable at 127\.0\.0\.1:1 .* run `npm run infra:up`, or set X_FULFILMENT=off/);
      return true;
    });
  });
});

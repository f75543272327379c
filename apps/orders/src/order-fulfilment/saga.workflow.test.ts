import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Worker, bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { startTimeSkippingEnvironment } from '@faultline/shared/temporal-testing';
import { threeSteps, undoneQuery, type ThreeStepsPlan } from './test-fixtures/saga.workflows.js';

// The saga helper inside a real workflow sandbox, with steps and compensations that only write down
// what they were given.
describe('Saga step list', () => {
  let env: TestWorkflowEnvironment;
  let workflowBundle: WorkflowBundle;

  before(async () => {
    env = await startTimeSkippingEnvironment();
    workflowBundle = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./test-fixtures/saga.workflows.js', import.meta.url)),
      logger: new DefaultLogger('ERROR'),
    });
  });

  after(() => env?.teardown());

  /** What the compensations wrote down, in the order they ran, and the workflow's failure if it failed. */
  async function run(plan: ThreeStepsPlan): Promise<{ undone: string[]; failure?: unknown }> {
    const taskQueue = `saga-test-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle });
    return worker.runUntil(async () => {
      const handle = await env.client.workflow.start(threeSteps, { args: [plan], taskQueue, workflowId: `saga-${randomUUID()}` });
      const failure = await handle.result().then(() => undefined, (error: unknown) => error);
      return { undone: await handle.query(undoneQuery), failure };
    });
  }

  async function compensated(plan: ThreeStepsPlan): Promise<string[]> {
    const { undone, failure } = await run(plan);
    assert.equal(failure, undefined, 'the workflow returns after compensating');
    return undone;
  }

  it('undoes a step that failed half-way with no result, then the finished steps newest first over their own results', async () => {
    assert.deepEqual(await compensated({ failing: 'second' }), [
      'undo second: undefined',
      'undo first: first result',
      'give up: second step failed',
    ]);
  });

  it("lets a later step take an earlier compensation's place, closing over both steps' results", async () => {
    assert.deepEqual(await compensated({ failing: 'none' }), [
      'undo third: third result',
      'undo second: second result',
      'undo first: first result, then third result',
      'give up: gave up after the last step',
    ]);
  });

  it("runs the taken-over compensation over an unfinished later step's unknown result", async () => {
    assert.deepEqual(await compensated({ failing: 'third' }), [
      'undo third: undefined',
      'undo second: second result',
      'undo first: first result, then undefined',
      'give up: third step failed',
    ]);
  });

  it('runs every compensation when one fails, then fails the workflow naming it', async () => {
    const { undone, failure } = await run({ failing: 'none', brokenCompensation: 'undo second' });
    assert.ok(failure instanceof WorkflowFailedError, 'the workflow fails');
    assert.match(String(failure.cause?.message), /^compensations failed: undo second \(ApplicationFailure: undo second broke\)$/);
    assert.deepEqual(undone, ['undo third: third result', 'undo first: first result, then third result', 'give up: gave up after the last step']);
  });
});

// Workflows for saga.workflow.test.ts: three steps with compensations that write down what they were
// given, so the test can read the order they ran in and the results they closed over.
import { ApplicationFailure, defineQuery, setHandler } from '@temporalio/workflow';
import { Saga } from '../saga.js';

export interface ThreeStepsPlan {
  /** The step that throws; `none` runs all three and then gives up. */
  failing: 'second' | 'third' | 'none';
  /** A compensation that throws when it runs. */
  brokenCompensation?: string;
}

/** What the compensations have written down so far, also once the workflow has failed. */
export const undoneQuery = defineQuery<string[]>('undone');

/** Returns, in the order they ran, what each compensation was told. */
export async function threeSteps({ failing, brokenCompensation }: ThreeStepsPlan): Promise<string[]> {
  const saga = new Saga();
  const undone: string[] = [];
  setHandler(undoneQuery, () => undone);
  const undo = (name: string, detail: (result: string | undefined) => string) => async (result: string | undefined) => {
    if (name === brokenCompensation) throw ApplicationFailure.nonRetryable(`${name} broke`);
    undone.push(`${name}: ${detail(result)}`);
  };
  const run = (step: string) => async () => {
    if (failing === step) throw ApplicationFailure.nonRetryable(`${step} step failed`);
    return `${step} result`;
  };
  try {
    saga.onFailure('give up', async (failure) => void undone.push(`give up: ${(failure as Error).message}`));
    const first = await saga.step(run('first'), { 'undo first': undo('undo first', (result) => String(result)) });
    await saga.step(run('second'), { 'undo second': undo('undo second', (result) => String(result)) });
    await saga.step(run('third'), {
      'undo third': undo('undo third', (result) => String(result)),
      'undo first': undo('undo first', (third) => `${first}, then ${String(third)}`),
    });
    throw ApplicationFailure.nonRetryable('gave up after the last step');
  } catch (error) {
    await saga.compensate(error);
    return undone;
  }
}

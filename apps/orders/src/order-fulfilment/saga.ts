import { ApplicationFailure, CancellationScope, log } from '@temporalio/workflow';

/**
 * Undoes one step, given that step's own result: `undefined` while the step has not finished — it
 * failed half-way, or its outcome is unknown — so the compensation finds out for itself whether there
 * is anything to undo.
 */
export type Compensation<Result> = (result: Result | undefined) => Promise<void>;

/** Compensations by what they do, e.g. `{ 'void the authorization': … }`, listed in the order they run. */
export type Compensations<Result> = Readonly<Record<string, Compensation<Result>>>;

interface Recorded {
  name: string;
  run: (failure: unknown) => Promise<void>;
}

/**
 * A saga as a list of steps, each with its compensation beside it (article 6), for workflow code.
 * A step's compensation is recorded BEFORE the step runs, over an unknown result, so a step that
 * fails half-way is still undone; once the step finishes it is recorded again, over the step's own
 * result. A compensation recorded under a name already recorded takes that one's place: a later step
 * that changes what undoing an earlier one means (a captured payment is refunded, not voided) records
 * the earlier compensation anew, over both results. Steps share no state with compensations.
 *
 * On failure the compensations run newest first, in a non-cancellable scope, so cancelling the
 * workflow cannot stop a refund half-way. One that fails does not stop the others, and is never
 * swallowed: the workflow then fails loudly, for a person to look at.
 */
export class Saga {
  /** Newest first: the order they run in. */
  private readonly recorded: Recorded[] = [];

  /** Records what undoes the saga as a whole, whatever step it gives up at; it is told why. */
  onFailure(name: string, run: (failure: unknown) => Promise<void>): void {
    this.record({ name, run });
  }

  /** Runs one step, with its compensations recorded before it runs and again over its result. */
  async step<Result>(run: () => Promise<Result>, compensations: Compensations<Result> = {}): Promise<Result> {
    this.recordAll(compensations, undefined);
    const result = await run();
    this.recordAll(compensations, result);
    return result;
  }

  /** Runs the recorded compensations, newest first; `failure` is why the saga gives up. */
  async compensate(failure: unknown): Promise<void> {
    await CancellationScope.nonCancellable(async () => {
      const failed: string[] = [];
      for (const { name, run } of this.recorded) {
        try {
          await run(failure);
        } catch (error) {
          log.error('compensation failed', { compensation: name, error: String(error) });
          failed.push(`${name} (${String(error)})`);
        }
      }
      if (failed.length > 0) {
        throw ApplicationFailure.nonRetryable(`compensations failed: ${failed.join('; ')}`, 'CompensationFailed');
      }
    });
  }

  private recordAll<Result>(compensations: Compensations<Result>, result: Result | undefined): void {
    // Recorded last first, so that they run in the order they are listed.
    for (const [name, undo] of Object.entries(compensations).reverse()) this.record({ name, run: () => undo(result) });
  }

  private record(compensation: Recorded): void {
    const taken = this.recorded.findIndex(({ name }) => name === compensation.name);
    if (taken >= 0) this.recorded[taken] = compensation;
    else this.recorded.unshift(compensation);
  }
}

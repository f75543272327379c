import { ApplicationFailure, CancellationScope, log } from '@temporalio/workflow';

/**
 * The saga's undo list (article 6). A step's compensation is added BEFORE the step runs, so a step
 * that fails half-way — or whose outcome is unknown — is still undone; each compensation checks for
 * itself whether there is anything to undo. They run newest first, in a non-cancellable scope, so
 * cancelling the workflow cannot stop a refund half-way. One that fails does not stop the others,
 * and is never swallowed: the workflow then fails loudly, for a person to look at.
 */
export class Compensations {
  private readonly undo: { name: string; run: () => Promise<void> }[] = [];

  add(name: string, run: () => Promise<void>): void {
    this.undo.unshift({ name, run });
  }

  async compensate(): Promise<void> {
    await CancellationScope.nonCancellable(async () => {
      const failed: string[] = [];
      for (const { name, run } of this.undo) {
        try {
          await run();
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
}

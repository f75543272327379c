import { percentile, ratePerSecond } from '../statistics.js';

/** One workflow's life, in epoch milliseconds: when the client asked for it, and the server's start and close. */
export interface Completion {
  /** The bench sent the request: POST /orders for the saga, `workflow.start` for the bare workflow. */
  submittedAt: number;
  /** Temporal's start time of the workflow execution. */
  startedAt: number;
  /** Temporal's close time: the workflow completed. */
  closedAt: number;
}

export interface CompletionSummary {
  completions: number;
  /** Completions per second, from the first request to the last close: the whole batch's wall time. */
  throughputPerSecond: number;
  /** Workflow start → complete, p50 and p99 (ms): Temporal's own view of one workflow. */
  startToCloseP50Ms: number;
  startToCloseP99Ms: number;
  /** Request → complete, p50 and p99 (ms): for the saga, placed → paid, with the relay and Kafka in between. */
  submitToCloseP50Ms: number;
  submitToCloseP99Ms: number;
}

/**
 * Throughput and latencies of one batch of workflows. Wall time runs from the first request to the
 * last close, so a batch is measured as a client sees it, queueing included; both sides are
 * submitted the same way (the same number of concurrent clients), so the ratio compares like with like.
 */
export function summariseCompletions(completions: readonly Completion[]): CompletionSummary {
  if (completions.length === 0) throw new Error('no workflow completed: the benchmark measured nothing');
  const firstSubmitted = Math.min(...completions.map((completion) => completion.submittedAt));
  const lastClosed = Math.max(...completions.map((completion) => completion.closedAt));
  const startToClose = completions.map((completion) => completion.closedAt - completion.startedAt);
  const submitToClose = completions.map((completion) => completion.closedAt - completion.submittedAt);
  return {
    completions: completions.length,
    throughputPerSecond: ratePerSecond(completions.length, lastClosed - firstSubmitted),
    startToCloseP50Ms: percentile(startToClose, 0.5),
    startToCloseP99Ms: percentile(startToClose, 0.99),
    submitToCloseP50Ms: percentile(submitToClose, 0.5),
    submitToCloseP99Ms: percentile(submitToClose, 0.99),
  };
}

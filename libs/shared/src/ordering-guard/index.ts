export type { HeldEvent } from './held-event.js';
export { decideOrdering, type OrderingDecision } from './ordering-decision.js';
export { OrderingGuard, type AggregateStream } from './ordering-guard.js';
export { orderingGuardStatements } from './ordering-guard-statements.js';
export { ExpiredGapSweep, type ExpiredGapSweepOptions } from './expired-gap-sweep.js';

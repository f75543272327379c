export type { HeldEvent, SourceRecord } from './held-event.js';
export { decideOrdering, type OrderingDecision } from './ordering-decision.js';
export { OrderingGuard, type AggregateStream } from './ordering-guard.js';

export { ConcurrencyConflictError } from './concurrency-conflict-error.js';
export type { Decider, Decision, DomainEvent } from './decider.js';
export { EventStore, isUniqueViolationOf, type Aggregate, type EventToAppend, type StreamRef } from './event-store.js';
export { STREAM_VERSION_CONSTRAINT, StoredEvent, type EventMetadata } from './stored-event.entity.js';

// What the console's backend sends its page: the one definition both sides compile against (the
// page imports these types only, so no backend code reaches the browser).

/**
 * A service as the page draws it: `ready` (its /ready answers 200), `not-ready` (it answers, but a
 * dependency it checks is down: `failing` names them), `down` (no answer at all).
 */
export interface ServiceReadiness {
  name: string;
  url: string;
  state: 'ready' | 'not-ready' | 'down';
  failing: string[];
  detail: string;
}

/** Where the console's reading of the event topics stands: the topics it reads, and those that do not exist yet. */
export interface FlowState {
  reading: string[];
  waitingFor: string[];
}

/** GET /api/topology. */
export interface TopologyView {
  services: ServiceReadiness[];
  eventFlow: FlowState;
  /** Without it the console only reads, and says so. */
  workshopMode: boolean;
  /** Jaeger's query API, where an event's trace is read: `<jaeger>/api/traces/<trace id>`. */
  jaegerUrl: string;
  checkedAt: string;
}

/** One record on a Kafka topic as the page lists it: where it sits, and what the envelope says. */
export interface FlowEvent {
  topic: string;
  partition: number;
  offset: string;
  /** When the broker appended it (ms since the epoch). */
  appendedAt: number;
  /** The envelope's event type, or `null` when the value is not an event envelope. */
  type: string | null;
  aggregateId: string | null;
  sequence: number | null;
  correlationId: string | null;
  /** The trace the event belongs to (from its `traceparent`), for the link to Jaeger. */
  traceId: string | null;
  /** Why the value is not an envelope, when it is not. */
  problem?: string;
}

/** GET /api/events: the recent events, oldest first. */
export interface RecentEventsView {
  state: FlowState;
  events: FlowEvent[];
}

/** One server-sent message of /api/events/stream: the newest events of a batch and how many the batch held. */
export interface EventBatch {
  events: FlowEvent[];
  arrived: number;
}

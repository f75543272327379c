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

/**
 * Where the console's reading of the event topics stands: the topics it reads, those it is joining
 * its consumer group for (a few seconds after start), and those that do not exist yet.
 */
export interface FlowState {
  reading: string[];
  joining: string[];
  waitingFor: string[];
}

/** A part of the infrastructure as the page draws it: `up` when it accepts a connection (or answers its API) now. */
export interface InfrastructurePart {
  name: string;
  address: string;
  state: 'up' | 'down';
  detail: string;
}

/**
 * A Toxiproxy link between a service and a dependency: `cut` (the proxy is disabled: connections are
 * refused), `slowed` (it carries toxics, named in `detail`), `open`.
 */
export interface LinkView {
  name: string;
  listen: string;
  upstream: string;
  state: 'open' | 'slowed' | 'cut';
  detail: string;
}

/** GET /api/topology. */
export interface TopologyView {
  services: ServiceReadiness[];
  infrastructure: InfrastructurePart[];
  /** Empty with `linksProblem` set when Toxiproxy's API did not answer. */
  links: LinkView[];
  linksProblem?: string;
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

/** One consumer group in one topic: where it has got to (committed offsets) against the topic's end. */
export interface ConsumerGroupView {
  groupId: string;
  /** Kafka's group state: `Stable` while members consume, `Empty` when none runs. */
  state: string;
  members: number;
  topic: string;
  /** Records still to read, summed over the topic's partitions. */
  lag: number;
  /** Per partition, the committed offset and the end, for the ones that lag. */
  behind: { partition: number; committed: number; end: number }[];
}

/** GET /api/consumer-groups: the services' groups, those that lag most first. */
export interface ConsumerGroupsView {
  groups: ConsumerGroupView[];
  /** Why the groups could not be read just now (Kafka unreachable), when they could not. */
  problem?: string;
}

/** One activity of the order's saga, from the workflow's history: a step, or a compensation. */
export interface SagaStep {
  activity: string;
  scheduledAt: string;
  endedAt?: string;
  outcome: 'running' | 'completed' | 'failed' | 'timed out' | 'cancelled';
  /** The attempt that ended it (the activity is retried on failure). */
  attempt?: number;
  /** The failure's message, when it failed. */
  detail?: string;
}

/** The order's saga as Temporal recorded it (workflow `order-<orderId>`). */
export interface SagaView {
  workflowId: string;
  /** `running`, `completed`, `failed`, `terminated`, `cancelled`, `timed out`, `continued as new`. */
  status: string;
  startedAt?: string;
  steps: SagaStep[];
}

/** An authorization at the payment provider for the order (its own API, `orderReference`). */
export interface ProviderPayment {
  id: string;
  status: string;
  amountMinor: number;
  currency: string;
}

/** An e-mail MailDev received about the order (notifications sends them over SMTP). */
export interface SentEmail {
  subject: string;
  to: string[];
  at: string;
}

/** A part of the timeline whose source did not answer: the source, and why. */
export interface SourceProblem {
  source: 'temporal' | 'payment provider' | 'maildev' | 'jaeger';
  problem: string;
}

/** GET /api/orders/:orderId/timeline: what each part of the system did for one order. */
export interface OrderTimeline {
  orderId: string;
  /** The order's events and those of the same correlation (the saga's, billing's), as the console read them, oldest first. */
  events: FlowEvent[];
  /** Absent while no workflow exists for the order. */
  saga?: SagaView;
  payments: ProviderPayment[];
  emails: SentEmail[];
  /** The trace the order's first event belongs to, with Jaeger's query API to read it, and its steps as Jaeger holds them so far. */
  trace?: { traceId: string; url: string; steps: TraceStep[] };
  problems: SourceProblem[];
}

/** One span of the order's trace that crossed a boundary: a request a service received, an event published or applied, an e-mail sent. */
export interface TraceStep {
  at: string;
  service: string;
  operation: string;
  kind: 'server' | 'producer' | 'consumer' | 'client';
  durationMs: number;
}

/** The payment provider's faults in force (its `GET /admin/faults`), every switch spelled out. */
export interface ProviderFaults {
  latencyMs: number;
  errorRate: number;
  hang: boolean;
  dropResponseAfterCommit: boolean;
  corruptBody: boolean;
  decline: boolean;
  /** How many more /v1 requests the faults apply to; absent when unlimited. */
  times?: number;
}

/** One dead letter waiting (not yet redriven or archived), as the page lists it. */
export interface DeadLetterRow {
  /** Its offset in the dead-letter topic: the id `npm run dlq` shows and takes. */
  id: string;
  key: string | null;
  reason: string;
  errorClass: string;
  errorMessage: string;
  /** Where the record came from: `topic/partition@offset`. */
  source: string;
  attempts: number;
  retryable: boolean;
  firstFailureAt: string;
  traceId: string;
}

/** A consumer's dead-letter topic: how many wait, how old the oldest is, the newest of them. */
export interface DeadLetterTopicView {
  /** The service that reports the consumer. */
  service: string;
  consumer: string;
  topic: string;
  depth: number;
  /** Seconds since the oldest waiting dead letter first failed; 0 when none waits. */
  oldestAgeSeconds: number;
  /** The newest first, at most LISTED_DEAD_LETTERS of them. */
  letters: DeadLetterRow[];
  /** Set when the topic could not be read. */
  problem?: string;
}

export interface DeadLettersView {
  topics: DeadLetterTopicView[];
  /** The services whose consumers could not be learned (their /metrics did not answer), and why. */
  problems: { service: string; problem: string }[];
  readAt: string;
}

/** What a redrive sent back: the dead letters' ids, each now marked redriven `by: console`. */
export interface RedriveResult {
  topic: string;
  redriven: string[];
}

/** What a service that may read from the replica reports of it (article 7), from its /metrics. */
export interface ReplicaReadView {
  service: string;
  /** WAL the primary has written and the replica has not replayed. */
  lagBytes: number;
  /** Age of the oldest change the replica has not replayed; 0 when it has replayed everything. */
  lagSeconds: number;
  /** Above this lag every read goes to the primary (the alert threshold). */
  thresholdSeconds: number;
  /** Every read is going to the primary now: the replica lags past the threshold, or cannot be reached. */
  forcedToPrimary: boolean;
  /** Reads routed since the service started, by the database that served them. */
  reads: { primary: number; replica: number };
  /** The same reads by `<served by> · <why>`, e.g. `primary · replica-lagging`. */
  readsByReason: Record<string, number>;
}

/** GET /api/replica: the replica's replay (workshop mode only, when the console may pause it) and each service's view of it. */
export interface ReplicaView {
  /** `not paused`, `pause requested` or `paused`; absent outside workshop mode. */
  replay?: string;
  replayProblem?: string;
  services: ReplicaReadView[];
  problems: { service: string; problem: string }[];
}

/** One scenario as `npm run scenario -- --list --json` gives it. */
export interface ScenarioSummary {
  name: string;
  article: number;
  title: string;
  promise: { naive: string; correct: string };
}

export type ScenarioRunState = 'running' | 'showed-its-promise' | 'did-not-show-its-promise' | 'could-not-run' | 'stopped';

/** One scenario run started from the page: the command's narration, line by line, and how it ended. */
export interface ScenarioRun {
  id: number;
  scenario: string;
  mode: 'naive' | 'correct';
  /** The command it runs, as a person would type it. */
  command: string;
  state: ScenarioRunState;
  startedAt: string;
  endedAt?: string;
  exitCode?: number | null;
  lines: string[];
}

/** GET /api/scenarios: what can run, and the runs so far (newest first, their narration left out but the current one's). */
export interface ScenariosView {
  scenarios: ScenarioSummary[];
  problem?: string;
  runs: Omit<ScenarioRun, 'lines'>[];
  current?: ScenarioRun;
}

/** One dependency's circuit breaker in one service (article 1), from its /metrics. */
export interface BreakerView {
  service: string;
  dependency: string;
  state: 'closed' | 'half-open' | 'open';
  /** Attempts through the pipeline since the service started, by outcome (`rejected` = failed fast). */
  calls: Record<string, number>;
}

/** A breaker's change of state, as the console saw its transitions counter move. */
export interface BreakerTransition {
  at: string;
  service: string;
  dependency: string;
  from: string;
  to: string;
}

/** GET /api/breakers: the breakers of the running services, and the transitions seen lately (newest first). */
export interface BreakersView {
  breakers: BreakerView[];
  transitions: BreakerTransition[];
}

/** GET /api/session: whether a customer signed in on this page (workshop mode), and who. */
export type CustomerSession = { signedIn: false } | { signedIn: true; customerId: string; email?: string; expiresAt: string };

/** POST /api/orders: an order the signed-in customer places from the page (orders' own body, less the customer id). */
export interface PlaceOrderFromPage {
  currency: string;
  items: { sku: string; quantity: number; unitPriceCents: number }[];
}

/** One service's clock as the console measured it (article 2). */
export interface ServiceClockView {
  service: string;
  /** The service's clock minus the console's, NTP-style over GET /time; absent when it did not answer. */
  offsetMs?: number;
  /** The offset is exact to within ± this (half the best round trip). */
  errorBoundMs?: number;
  /** The skew the workshop set on it (GET /admin/clock); null when its clock cannot be skewed (not in workshop mode); absent on a read-only console. */
  skewMs?: number | null;
  /** How far ahead each peer's clock is, as this service measures it (`clock_skew_seconds{peer}`). */
  peersAheadSeconds: Record<string, number>;
  problem?: string;
}

export interface ClocksView {
  services: ServiceClockView[];
}

/** What a service's consumers, projections and outboxes report (articles 4, 5 and 6), from its /metrics. */
export interface ServiceSignals {
  service: string;
  /** Events each consumer holds back, waiting for an earlier sequence of the same aggregate (the ordering guard). */
  heldEvents: Record<string, number>;
  /** Each projection's lag behind the events it reads. */
  projections: { projection: string; lagEvents: number; lagSeconds: number }[];
  /** Each outbox's rows not yet published, and the age of the oldest. */
  outboxes: { table: string; backlog: number; oldestAgeSeconds: number }[];
  /** Reads that waited for a projection to reach their consistency token: caught up, or gave up (answered from the source of truth), and the mean wait. */
  tokenWaits: { projection: string; caughtUp: number; gaveUp: number; meanWaitMs: number }[];
}

export interface SignalsView {
  services: ServiceSignals[];
}

/** The daily billing runs due next in one customer time zone (article 9), from the schedules' workflow histories. */
export interface BillingZoneView {
  zone: string;
  /** Customers whose schedule waits in this zone. */
  customers: number;
  /** The earliest of their next runs: when its timer fires. */
  nextRunAt: string;
}

/** GET /api/billing-runs: the running billing schedules, by the zone each waits in. */
export interface BillingRunsView {
  zones: BillingZoneView[];
  /** How many schedules were read (the most recently started, at most BILLING_SCHEDULES_READ). */
  schedulesRead: number;
  problem?: string;
}

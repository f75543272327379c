import { z } from 'zod';
import { readFaultlineEnvironment, requireWorkshopMode } from '../config/index.js';
import { decodeEvent, type DecodedEvent } from '../contracts/index.js';
import type { DeadLetterCare, FailurePolicy } from '../dead-letter/index.js';

/**
 * Turns a parsed record value into an event whose envelope is valid and whose payload is upcast to
 * the newest schemaVersion this code knows. It must be pure: whatever it rejects is rejected for
 * good, so the pipeline dead-letters it after one attempt instead of blocking the partition
 * (article 3). `decodeEvent` from the contracts is the real one; a unit test may inject another.
 */
export type EventDecoder = (raw: unknown) => DecodedEvent;

/** One consumer of a service: a Kafka consumer group whose handlers are the app's `@EventPattern`s. */
export interface EventConsumerOptions {
  /**
   * The consumer's name: its key in the `inbox`, `ordering_checkpoints` and `held_events` tables,
   * its label on the metrics, and (by default) its consumer group. Renaming it makes it a new
   * consumer that starts from scratch, so choose it once, e.g. `billing-orders`.
   */
  name: string;
  /** Topics to read, e.g. `orders.order.events`; tests use a topic of their own. */
  topics: readonly string[];
  /** Defaults to `name`. */
  groupId?: string;
  /**
   * Where records that can never be applied go. Defaults to `<groupId>.dlq`: a dead letter belongs
   * to the consumer that could not apply it (another group may have applied the same record fine),
   * so one consumer's dead letters can be read, alerted on and redriven without touching another's.
   */
  deadLetterTopic?: string;
  /**
   * How long an early event may wait for its predecessor before it is dead-lettered and the gap
   * alert counts it. 30 s covers a producer retry and a rebalance with room to spare; a gap still
   * open after that is a lost or never-published event, which a person has to look at.
   */
  holdBoundMs?: number;
  decode?: EventDecoder;
  /**
   * `guarded` (the default) is the pattern: the ordering guard applies each aggregate's events in
   * sequence. `naive` is article 4's pitfall switch, for the workshop only (refused otherwise, see
   * requireAllowedConsumerOrdering): events are applied as they arrive; see ArrivalOrderPipeline
   * in naive-ordering.ts.
   */
  ordering?: ConsumerOrdering;
  /**
   * `policy` (the default) is article 3's pattern: classify, retry in process, retry topics, then the
   * dead-letter topic with its context. `naive` is the pitfall, for the workshop only: a record that
   * fails is logged and skipped — its offset committed, its effect gone, nothing to alert on; see
   * SkippingRecordProcessor in dead-letter/naive-failure-handling.ts.
   */
  failures?: ConsumerFailureHandling;
  /** In-process attempts and retry-topic delays for transient failures (article 3); see FailurePolicy. */
  failurePolicy?: Partial<FailurePolicy>;
  /** Dead-letter metrics, automatic redrive and retention (article 3); see DeadLetterCare. */
  deadLetterCare?: Partial<DeadLetterCare>;
}

export type ConsumerOrdering = 'guarded' | 'naive';
export type ConsumerFailureHandling = 'policy' | 'naive';

/** The consumer's failure switch as a service reads it from its environment; `policy` when unset. */
export const consumerFailureHandling = () => z.enum(['policy', 'naive']).default('policy');

/**
 * Retry-topic delays from the environment as a comma-separated list of milliseconds, e.g.
 * `10000,60000,600000`; unset keeps the policy's defaults (see FailurePolicy.retryDelaysMs).
 */
export const retryDelaysMs = () =>
  z
    .string()
    .regex(/^\d+(,\d+)*$/, 'a comma-separated list of milliseconds, e.g. 10000,60000,600000')
    .transform((list) => list.split(',').map(Number))
    .optional();

export const EVENT_CONSUMER_DEFAULTS = { holdBoundMs: 30_000, decode: decodeEvent, ordering: 'guarded' } as const;

/**
 * The consumer's switch as a service reads it from its environment (e.g. BILLING_CONSUMER_ORDERING),
 * validated next to the mechanism; `guarded` when unset.
 */
export const consumerOrdering = () => z.enum(['guarded', 'naive']).default(EVENT_CONSUMER_DEFAULTS.ordering);

/**
 * The consumer options that switch a pitfall on when set to `naive`, with what a refusal outside
 * workshop mode tells the person who set one.
 */
const NAIVE_SWITCHES = [
  {
    option: 'failures',
    failure: "article 3's dropped message (a failed record is skipped: no retry, no dead letter, no alert)",
    fix: 'leave the option unset to retry transient failures and dead-letter the rest with their context',
  },
  {
    option: 'ordering',
    failure: "article 4's out-of-order apply (a cancellation applied before its order exists is lost)",
    fix: 'leave the option unset to apply events through the ordering guard',
  },
] as const satisfies readonly { option: keyof EventConsumerOptions; failure: string; fix: string }[];

/**
 * Refuses naive ordering or failure handling unless the service runs in workshop mode (DESIGN §6);
 * called when the service's consumers are declared, so a misconfigured service stops at start-up.
 */
export function requireAllowedConsumerOrdering(
  service: string,
  options: EventConsumerOptions,
  env: Record<string, string | undefined> = readFaultlineEnvironment(),
): EventConsumerOptions {
  for (const { option, failure, fix } of NAIVE_SWITCHES) {
    if (options[option] === 'naive') requireWorkshopMode(service, { option: `consumer ${options.name} option ${option}: "naive"`, failure, fix }, env);
  }
  return options;
}

/**
 * How often the expiry sweep looks for gaps older than the bound: a third of the bound (so a gap is
 * dead-lettered at most a third of the bound late), between 100 ms and 5 s.
 */
export function sweepIntervalFor(holdBoundMs: number): number {
  return Math.min(Math.max(Math.floor(holdBoundMs / 3), 100), 5_000);
}

/** The consumers a service runs; provided by ServiceDefaultsModule and started by startService. */
export const EVENT_CONSUMERS = Symbol.for('faultline.EventConsumers');

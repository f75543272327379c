import { trace } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../clock/index.js';
import type { DecodedEvent } from '../contracts/index.js';
import type { DeadLetterPublisher } from '../dead-letter/index.js';
import { InboxCheckpoint } from '../inbox/index.js';
import { OrderingGuard, decideOrdering, type HeldEvent } from '../ordering-guard/index.js';
import { ConsumedEventContext } from './consumed-event-context.js';
import { ConsumerTracing } from './consumer-tracing.js';
import type { ConsumerMetrics, ConsumerOutcome } from './consumer-metrics.js';
import type { EventDecoder } from './event-consumer-options.js';
import type { SourceRecord } from './source-record.js';

/** What became of a consumed event (applied, held, duplicate), on its `<topic> process` span. */
const OUTCOME_ATTRIBUTE = 'faultline.consumer.outcome';
import { recordFailure } from './trace-context.js';

/** Runs the app's handler for an event; false when the app has none for its type. */
export type EventHandlerInvoker = (event: DecodedEvent, context: ConsumedEventContext) => Promise<boolean>;

export interface ConsumedEventPipelineOptions {
  consumer: { name: string; version: string };
  /** The consumer group, named on the consumer's spans; the consumer's name when unset. */
  groupId?: string;
  dataSource: DataSource;
  decode: EventDecoder;
  invoke: EventHandlerInvoker;
  deadLetters: DeadLetterPublisher;
  metrics: ConsumerMetrics;
  clock: Clock;
  logger: Logger;
}

interface TransactionResult {
  outcome: ConsumerOutcome;
  /** Held events the gap-filling event released and applied after itself. */
  released: DecodedEvent[];
}

/**
 * What happens to one record between Kafka and the app's `@EventPattern` handler (DESIGN §3.4):
 *
 * 1. decode (envelope, upcast, payload); a record that fails is dead-lettered after one attempt —
 *    the decoder is pure, so retrying cannot help and would only block the partition (article 3);
 * 2. in ONE transaction: inbox (already applied → duplicate), ordering guard (next → apply;
 *    already past → duplicate; early → hold), the handler with the transaction's EntityManager, then
 *    any held events the gap was hiding, in sequence order; inbox rows and checkpoint with them.
 *
 * The caller commits the Kafka offset only after `process` resolved: a crash before that redelivers
 * the record, and the inbox turns the redelivery into a no-op.
 *
 * Each record is handled in a span of the trace it carries, the handler inside it (see ConsumerTracing).
 */
export class ConsumedEventPipeline {
  private readonly guard: OrderingGuard;
  private readonly checkpoint: InboxCheckpoint;
  protected readonly tracing: ConsumerTracing;

  constructor(protected readonly options: ConsumedEventPipelineOptions) {
    this.checkpoint = new InboxCheckpoint(options.consumer.name);
    this.guard = new OrderingGuard(options.consumer.name);
    this.tracing = new ConsumerTracing(options.groupId ?? options.consumer.name);
  }

  /** Decodes and applies one record; an undecodable one is dead-lettered (article 3). */
  async process(record: SourceRecord): Promise<ConsumerOutcome> {
    let event: DecodedEvent;
    try {
      event = this.decode(record);
    } catch (error) {
      await this.tracing.process(record, undefined, () => this.deadLetterUndecodable(record, error));
      return 'dead_lettered';
    }
    return this.apply(event, record);
  }

  /** The record's event, valid and upcast; throws when it cannot be decoded (see EventDecoder). */
  decode(record: SourceRecord): DecodedEvent {
    return this.options.decode(JSON.parse(record.value));
  }

  /** Applies one decoded event in its own transaction, through the inbox and the ordering guard. */
  async apply(event: DecodedEvent, record: SourceRecord): Promise<ConsumerOutcome> {
    return this.tracing.process(record, event, async () => {
      const result = await this.options.dataSource.transaction((transaction) => this.applyInOrder(transaction, event, record));
      await this.count([{ event, result }]);
      return result.outcome;
    });
  }

  /**
   * Applies a run of records of one partition, in their order, in ONE transaction: one durable
   * commit for the run instead of one per record, which is most of a record's cost (ADR 0012).
   * Each record goes through the same steps as in `process` (inbox, ordering guard, handler, held
   * events released, checkpoint), so the guarantees hold per record; only the commit is
   * shared, and with it the all-or-nothing: nothing of the run is kept unless all of it is.
   *
   * Returns the outcome of each record it took, from the start, in order. It stops before the
   * first record that does not decode, which is the per-record path's to dead-letter (`process`);
   * no outcome at all means the first record is such a one. If the transaction fails it
   * throws and nothing of the run is applied: the caller then takes these records one at a time
   * through the failure policy (a handler that throws is therefore attempted once more than its
   * failure policy says, inside a rolled-back transaction).
   */
  async processBatch(records: readonly SourceRecord[]): Promise<ConsumerOutcome[]> {
    const decoded: { event: DecodedEvent; record: SourceRecord }[] = [];
    for (const record of records) {
      try {
        decoded.push({ event: this.decode(record), record });
      } catch {
        break;
      }
    }
    const [first] = decoded;
    if (!first) return [];
    // A run of one is `apply`: one span, in the record's trace, around its transaction.
    if (decoded.length === 1) return [await this.apply(first.event, first.record)];
    const applied = await this.tracing.processRun(decoded, () =>
      this.options.dataSource.transaction(async (transaction) => {
        const results: { event: DecodedEvent; result: TransactionResult }[] = [];
        for (const { event, record } of decoded) {
          results.push({ event, result: await this.tracing.process(record, event, () => this.applyInOrder(transaction, event, record)) });
        }
        return results;
      }),
    );
    await this.count(applied);
    return applied.map(({ result }) => result.outcome);
  }

  /** Counts committed outcomes (and the held events they released) on the consumer metrics. */
  private async count(applied: readonly { event: DecodedEvent; result: TransactionResult }[]): Promise<void> {
    const { metrics, consumer } = this.options;
    let heldChanged = false;
    for (const { event, result } of applied) {
      metrics.events.inc({ consumer: consumer.name, type: event.type, outcome: result.outcome });
      for (const released of result.released) metrics.events.inc({ consumer: consumer.name, type: released.type, outcome: 'applied' });
      heldChanged ||= result.outcome === 'held' || result.released.length > 0;
    }
    if (heldChanged) await this.refreshHeldGauge();
  }

  /** Sets the held gauge from the table, which survives restarts (an in-memory count would not). */
  async refreshHeldGauge(): Promise<void> {
    const held = await this.guard.heldCount(this.options.dataSource.manager);
    this.options.metrics.heldEvents.set({ consumer: this.options.consumer.name }, held);
  }

  /**
   * Applies the event in order (see decideAndApply) and names what became of it on the record's
   * span (`faultline.consumer.outcome`: applied, held or duplicate), so a trace shows a held event.
   */
  private async applyInOrder(transaction: EntityManager, event: DecodedEvent, record: SourceRecord): Promise<TransactionResult> {
    const result = await this.decideAndApply(transaction, event, record);
    trace.getActiveSpan()?.setAttribute(OUTCOME_ATTRIBUTE, result.outcome);
    return result;
  }

  private async decideAndApply(transaction: EntityManager, event: DecodedEvent, record: SourceRecord): Promise<TransactionResult> {
    const now = this.options.clock.now();
    const { inInbox, lastSequence } = await this.checkpoint.claim(transaction, event, now);
    if (inInbox) return { outcome: 'duplicate', released: [] };
    switch (decideOrdering(lastSequence, event.sequence)) {
      case 'duplicate':
        return { outcome: 'duplicate', released: [] };
      case 'hold': {
        const held = await this.guard.hold(transaction, { envelope: event, source: record, heldAt: now });
        return { outcome: held ? 'held' : 'duplicate', released: [] };
      }
      case 'apply':
        break;
    }
    // Each settle moves the checkpoint to the event just applied and hands back the held event
    // that was waiting for it, if any: the gap it filled releases them in sequence order.
    const released: DecodedEvent[] = [];
    let next = await this.applyAndSettle(transaction, event, record, now);
    while (next) {
      const { envelope, source } = next;
      // A released event is handled in a span of its own trace, as if it had just arrived.
      next = await this.tracing.process(source, envelope, () => {
        trace.getActiveSpan()?.setAttribute(OUTCOME_ATTRIBUTE, 'applied');
        return this.applyAndSettle(transaction, envelope, source, now);
      });
      released.push(envelope);
    }
    return { outcome: 'applied', released };
  }

  private async applyAndSettle(transaction: EntityManager, event: DecodedEvent, source: SourceRecord, now: Date): Promise<HeldEvent | undefined> {
    await this.invoke(transaction, event, source);
    return this.checkpoint.settle(transaction, event, now);
  }

  /** Hands the event to the app's handler, in `transaction`. */
  protected async invoke(transaction: EntityManager, event: DecodedEvent, source: SourceRecord): Promise<void> {
    const handled = await this.options.invoke(event, new ConsumedEventContext([transaction, source]));
    // An event type this consumer has no handler for still moves the checkpoint: otherwise the
    // aggregate's next event would be held behind it forever.
    if (!handled) this.options.logger.debug({ type: event.type, eventId: event.eventId }, 'no handler; checkpoint moves on');
  }

  private async deadLetterUndecodable(record: SourceRecord, error: unknown): Promise<void> {
    const { consumer, metrics, clock } = this.options;
    const failure = error instanceof Error ? error : new Error(String(error));
    recordFailure(failure);
    await this.options.deadLetters.publish(record, {
      reason: 'invalid-event',
      errorClass: failure.name,
      errorMessage: failure.message,
      firstFailureAt: clock.now(),
      attempts: 1,
    });
    metrics.events.inc({ consumer: consumer.name, type: 'unknown', outcome: 'dead_lettered' });
    metrics.deadLettersPublished.inc({ consumer: consumer.name, reason: 'invalid-event' });
    this.options.logger.warn(
      { topic: record.topic, partition: record.partition, offset: record.offset, err: failure },
      `dead-lettered an undecodable record to ${this.options.deadLetters.topic}`,
    );
  }
}

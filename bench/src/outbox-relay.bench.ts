import type { Producer } from 'kafkajs';
import { repeat, type Benchmark, type BenchmarkOutcome, type BenchmarkRun } from './benchmark.js';
import type { Figure } from './figures.js';
import { OutboxUnderTest, outboxEvents, type BenchOutbox, type OutboxEvent } from './outbox-under-test.js';
import { median, ratePerSecond } from './statistics.js';

/**
 * Events per repetition, over 100 aggregates. The relay sends batches of 100 (its default), so the
 * raw producer sends the same messages in the same batches of 100, one request at a time, like the
 * relay awaiting each send.
 */
export const RELAY_WORKLOAD = {
  quick: { events: 2_000, warmUpEvents: 300, aggregates: 100, sendBatch: 100, largerBatch: 500, partitions: 3, repetitions: 3 },
  full: { events: 10_000, warmUpEvents: 1_000, aggregates: 100, sendBatch: 100, largerBatch: 500, partitions: 3, repetitions: 3 },
} as const;

/** Events/s of the raw kafkajs producer sending `events` in batches, each send awaited. */
export async function rawProducerRate(producer: Producer, topic: string, events: readonly OutboxEvent[], batch: number): Promise<number> {
  const started = performance.now();
  for (let start = 0; start < events.length; start += batch) {
    await producer.send({
      topic,
      messages: events.slice(start, start + batch).map((event) => ({ key: event.aggregateId, value: event.envelope })),
    });
  }
  return ratePerSecond(events.length, performance.now() - started);
}

export const outboxRelay: Benchmark = {
  name: 'outbox-relay',
  measures: 'outbox relay, committed row → acknowledged by Kafka (events/s) vs a raw kafkajs producer sending the same messages',
  async run({ bench, quick, log }: BenchmarkRun): Promise<BenchmarkOutcome> {
    const workload = quick ? RELAY_WORKLOAD.quick : RELAY_WORKLOAD.full;
    const outboxes = await OutboxUnderTest.open(bench);
    // The kafkajs defaults (acks from all in-sync replicas), one producer: what "just send it" costs.
    const producer = bench.kafka.producer();
    try {
      const outbox = await outboxes.createOutbox('relay', workload.partitions);
      const larger = await outboxes.createOutbox(`relay-batch-${workload.largerBatch}`, workload.partitions);
      const rawTopic = await bench.createTopic('relay-raw', workload.partitions);
      await producer.connect();
      outboxes.startRelays(outbox);
      outboxes.startRelays(larger, 1, workload.largerBatch);
      const relayRate = async (target: BenchOutbox, events: readonly OutboxEvent[]) => {
        const committedAt = await outboxes.commit(target, events);
        return ratePerSecond(events.length, (await outboxes.awaitPublished(target)) - committedAt);
      };
      for (const target of [outbox, larger]) await relayRate(target, outboxEvents(workload.warmUpEvents, workload.aggregates));
      await rawProducerRate(producer, rawTopic, outboxEvents(workload.warmUpEvents, workload.aggregates), workload.sendBatch);

      const rates = await repeat(workload.repetitions, async (repetition) => {
        const events = outboxEvents(workload.events, workload.aggregates);
        const relay = await relayRate(outbox, events);
        const raw = await rawProducerRate(producer, rawTopic, events, workload.sendBatch);
        const largerEvents = outboxEvents(workload.events, workload.aggregates);
        const relayLarger = await relayRate(larger, largerEvents);
        const rawLarger = await rawProducerRate(producer, rawTopic, largerEvents, workload.largerBatch);
        log(
          `  repetition ${repetition + 1}: batches of ${workload.sendBatch}: relay ${Math.round(relay)}, raw ${Math.round(raw)} events/s; ` +
            `batches of ${workload.largerBatch}: relay ${Math.round(relayLarger)}, raw ${Math.round(rawLarger)} events/s`,
        );
        return { relay, raw, relayLarger, rawLarger };
      });
      const relay = median(rates.map((rate) => rate.relay));
      const walLevel = await bench.walLevel();
      const figures: Figure[] = [
        {
          name: 'outbox relay, committed row → Kafka ack',
          unit: 'events/s',
          ours: relay,
          baseline: median(rates.map((rate) => rate.raw)),
          baselineName: 'raw kafkajs producer',
          target: { kind: 'ratio-at-least', value: 0.7 },
        },
        {
          name: `outbox relay with batchSize ${workload.largerBatch} (default is ${workload.sendBatch})`,
          unit: 'events/s',
          ours: median(rates.map((rate) => rate.relayLarger)),
          baseline: median(rates.map((rate) => rate.rawLarger)),
          baselineName: `raw, batches of ${workload.largerBatch}`,
        },
        {
          name: 'outbox relay vs pg-transactional-outbox',
          unit: 'events/s',
          ours: relay,
          baseline: null,
          // pg-transactional-outbox reads committed rows from the WAL by logical replication.
          note: walLevel === 'logical' ? 'not run: pg-transactional-outbox is not installed' : `not run: needs wal_level=logical, the primary runs ${walLevel}`,
        },
      ];
      return { figures, settings: { ...workload, relay: 'OutboxRelay defaults (batch 100, NOTIFY + 1 s poll)', rawProducer: 'kafkajs defaults, acks=-1', walLevel } };
    } finally {
      await producer.disconnect();
      await outboxes.close();
    }
  },
};

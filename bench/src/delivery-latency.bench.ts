import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, Producer } from 'kafkajs';
import { MAX_RECORDS_PER_TRANSACTION } from '@faultline/shared/messaging';
import { ApplyingConsumer } from './applying-consumer.js';
import { type Benchmark, type BenchmarkOutcome, type BenchmarkRun } from './benchmark.js';
import type { Figure } from './figures.js';
import type { LatencySeries } from './latency-chart.js';
import { OutboxUnderTest, outboxEvents, type BenchOutbox, type OutboxEvent } from './outbox-under-test.js';
import { percentile, ratePerSecond } from './statistics.js';

/**
 * Offered loads (events/s) and how long each is held. Each event is its own transaction (a command
 * commits one event) and, on the raw side, its own send: neither side batches what the other does not.
 */
export const LATENCY_WORKLOAD = {
  quick: { loads: [100, 200, 500, 1_000], secondsPerLoad: 3, warmUpEvents: 200, aggregates: 100, partitions: 3 },
  full: { loads: [100, 200, 500, 1_000], secondsPerLoad: 8, warmUpEvents: 500, aggregates: 100, partitions: 3 },
} as const;

/** How often the load generator issues what is due: 10 ms keeps 1,000 events/s to ~10 per tick. */
const TICK_MS = 10;
/** How long after the last event the consumer may take to see everything before the run fails. */
const DRAIN_TIMEOUT_MS = 240_000;

/** When each event was committed or sent, and when the consumer applied or got it, by eventId. */
class Stopwatch {
  readonly started = new Map<string, number>();
  readonly received = new Map<string, number>();

  /**
   * Events/s from the first start to the last arrival: above the consumer's capacity the latency
   * only measures the backlog, and this says where that capacity is.
   */
  throughput(eventIds: readonly string[]): number {
    const starts = eventIds.map((id) => this.started.get(id) ?? Number.NaN);
    const ends = eventIds.map((id) => this.received.get(id) ?? Number.NaN);
    return ratePerSecond(eventIds.length, Math.max(...ends) - Math.min(...starts));
  }

  latencies(eventIds: readonly string[]): number[] {
    return eventIds.flatMap((id) => {
      const start = this.started.get(id);
      const end = this.received.get(id);
      return start === undefined || end === undefined ? [] : [end - start];
    });
  }

  async awaitReceived(eventIds: readonly string[]): Promise<void> {
    const deadline = performance.now() + DRAIN_TIMEOUT_MS;
    while (eventIds.some((id) => !this.received.has(id))) {
      if (performance.now() > deadline) {
        const missing = eventIds.filter((id) => !this.received.has(id)).length;
        throw new Error(`${missing} of ${eventIds.length} events did not reach the consumer within ${DRAIN_TIMEOUT_MS} ms`);
      }
      await sleep(20);
    }
  }
}

/**
 * Issues `events` at `perSecond`, open loop: each is started when it is due whether or not the
 * previous ones finished (a slow side shows as latency, not as a lower offered load).
 */
async function offer(events: readonly OutboxEvent[], perSecond: number, start: (event: OutboxEvent) => Promise<void>): Promise<void> {
  const began = performance.now();
  const inFlight: Promise<void>[] = [];
  let issued = 0;
  while (issued < events.length) {
    const due = Math.min(events.length, Math.floor(((performance.now() - began) / 1000) * perSecond) + 1);
    for (; issued < due; issued += 1) inFlight.push(start(events[issued] as OutboxEvent));
    await sleep(TICK_MS);
  }
  await Promise.all(inFlight);
}

export const deliveryLatency: Benchmark = {
  name: 'delivery-latency',
  measures: 'commit → applied latency p50/p99 (outbox relay, Kafka, ConsumedEventPipeline) at fixed offered loads vs raw produce → consume',
  async run({ bench, quick, log }: BenchmarkRun): Promise<BenchmarkOutcome> {
    const workload = quick ? LATENCY_WORKLOAD.quick : LATENCY_WORKLOAD.full;
    const outboxes = await OutboxUnderTest.open(bench);
    const producer: Producer = bench.kafka.producer();
    const consumer: Consumer = bench.kafka.consumer({ groupId: `bench-${bench.runId}-latency`, maxWaitTimeInMs: 100 });
    const watch = new Stopwatch();
    let applying: ApplyingConsumer | undefined;
    try {
      const outbox: BenchOutbox = await outboxes.createOutbox('latency', workload.partitions);
      const rawTopic = await bench.createTopic('latency-raw', workload.partitions);
      const pipeline = await ApplyingConsumer.open(bench, await bench.createTopic('latency-dlq', 1));
      applying = pipeline;
      await producer.connect();
      outboxes.startRelays(outbox);
      // One consumer reads both topics: the same client, settings and event loop for both sides. Ours
      // goes as a service's BatchRunner does (ADR 0012): one partition at a time, in runs of up to
      // 100 records per transaction; a run the pipeline does not take goes one record at a time.
      await consumer.connect();
      await consumer.subscribe({ topics: [outbox.topic, rawTopic], fromBeginning: true });
      const received = (value: string) => {
        const at = Date.now();
        const { eventId } = JSON.parse(value) as { eventId?: string };
        if (eventId) watch.received.set(eventId, at);
      };
      await consumer.run({
        partitionsConsumedConcurrently: 1,
        eachBatch: async ({ batch }) => {
          const { topic, partition } = batch;
          const records = batch.messages.map((message) => ({
            topic,
            partition,
            offset: message.offset,
            key: message.key?.toString('utf8') ?? null,
            value: message.value?.toString('utf8') ?? '{}',
            headers: {},
          }));
          if (topic !== outbox.topic) {
            for (const record of records) received(record.value);
            return;
          }
          for (let next = 0; next < records.length; ) {
            const run = records.slice(next, next + MAX_RECORDS_PER_TRANSACTION);
            let outcomes = await pipeline.processBatch(run);
            if (outcomes.length === 0) outcomes = [await pipeline.process(run[0] as (typeof run)[number])];
            for (const [index, outcome] of outcomes.entries()) {
              if (outcome !== 'applied') throw new Error(`the pipeline answered ${outcome} for a bench event: the run is not measuring what it claims`);
              received((run[index] as (typeof run)[number]).value);
            }
            next += outcomes.length;
          }
        },
      });
      const ours = async (event: OutboxEvent) => {
        watch.started.set(event.eventId, await outboxes.commit(outbox, [event]));
      };
      const raw = async (event: OutboxEvent) => {
        watch.started.set(event.eventId, Date.now());
        await producer.send({ topic: rawTopic, messages: [{ key: event.aggregateId, value: event.envelope }] });
      };
      for (const side of [ours, raw]) {
        const warmUp = outboxEvents(workload.warmUpEvents, workload.aggregates);
        await offer(warmUp, 200, side);
        await watch.awaitReceived(warmUp.map((event) => event.eventId));
      }

      const measured: { load: number; ours: number[]; raw: number[]; throughput: { ours: number; raw: number } }[] = [];
      for (const load of workload.loads) {
        const result = { load, ours: [] as number[], raw: [] as number[], throughput: { ours: 0, raw: 0 } };
        for (const [name, side] of [['ours', ours], ['raw', raw]] as const) {
          const events = outboxEvents(load * workload.secondsPerLoad, workload.aggregates);
          await offer(events, load, side);
          const ids = events.map((event) => event.eventId);
          await watch.awaitReceived(ids);
          result[name] = watch.latencies(ids);
          result.throughput[name] = watch.throughput(ids);
        }
        log(
          `  ${load} events/s: ours p50 ${percentile(result.ours, 0.5)} ms p99 ${percentile(result.ours, 0.99)} ms; ` +
            `raw p50 ${percentile(result.raw, 0.5)} ms p99 ${percentile(result.raw, 0.99)} ms; ` +
            `delivered ${Math.round(result.throughput.ours)} vs ${Math.round(result.throughput.raw)} events/s`,
        );
        measured.push(result);
      }

      const figures: Figure[] = measured.flatMap(({ load, ours: oursMs, raw: rawMs }) => [
        { name: `commit → applied p50 at ${load} events/s`, unit: 'ms', ours: percentile(oursMs, 0.5), baseline: percentile(rawMs, 0.5), baselineName: 'raw produce → consume' },
        {
          name: `commit → applied p99 at ${load} events/s`,
          unit: 'ms',
          ours: percentile(oursMs, 0.99),
          baseline: percentile(rawMs, 0.99),
          baselineName: 'raw produce → consume',
          target: { kind: 'ratio-at-most', value: 5 },
        },
      ]);
      const highest = measured.at(-1);
      if (highest) {
        figures.push({
          name: `delivered throughput at ${highest.load} events/s offered`,
          unit: 'events/s',
          ours: highest.throughput.ours,
          baseline: highest.throughput.raw,
          baselineName: 'raw produce → consume',
        });
      }
      const series = (name: string, color: string, side: 'ours' | 'raw', fraction: number, dashed = false): LatencySeries => ({
        name,
        color,
        dashed,
        points: measured.map((result) => ({ load: result.load, latencyMs: percentile(result[side], fraction) })),
      });
      return {
        figures,
        settings: { ...workload, tickMs: TICK_MS, consumer: 'one kafkajs consumer on both topics, maxWaitTimeInMs 100, eachBatch; ours through ConsumedEventPipeline.processBatch (runs of up to 100 records per transaction, as the services) with a no-op handler', relay: 'OutboxRelay defaults' },
        latencySeries: [
          series('outbox p99', '#c0392b', 'ours', 0.99),
          series('outbox p50', '#e67e22', 'ours', 0.5),
          series('raw p99', '#2c3e50', 'raw', 0.99, true),
          series('raw p50', '#2980b9', 'raw', 0.5, true),
        ],
      };
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await applying?.close();
      await outboxes.close();
    }
  },
};

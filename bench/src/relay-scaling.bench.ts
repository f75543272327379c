import { repeat, type Benchmark, type BenchmarkOutcome, type BenchmarkRun } from './benchmark.js';
import { OutboxUnderTest, outboxEvents, type BenchOutbox } from './outbox-under-test.js';
import { RELAY_WORKLOAD } from './outbox-relay.bench.js';
import { median, ratePerSecond } from './statistics.js';

/**
 * Relay throughput with one partition and one relay instance against two partitions and two relay
 * instances of the same service: the way a service scales out by running a second replica.
 */
export const relayScaling: Benchmark = {
  name: 'relay-scaling',
  measures: 'outbox relay throughput: 1 partition + 1 relay instance vs 2 partitions + 2 relay instances (events/s)',
  async run({ bench, quick, log }: BenchmarkRun): Promise<BenchmarkOutcome> {
    const workload = quick ? RELAY_WORKLOAD.quick : RELAY_WORKLOAD.full;
    const outboxes = await OutboxUnderTest.open(bench);
    try {
      const one = await outboxes.createOutbox('scaling-1', 1);
      const two = await outboxes.createOutbox('scaling-2', 2);
      outboxes.startRelays(one, 1);
      outboxes.startRelays(two, 2);
      const rate = async (outbox: BenchOutbox, events: number) => {
        const committedAt = await outboxes.commit(outbox, outboxEvents(events, workload.aggregates));
        return ratePerSecond(events, (await outboxes.awaitPublished(outbox)) - committedAt);
      };
      await rate(one, workload.warmUpEvents);
      await rate(two, workload.warmUpEvents);
      const rates = await repeat(workload.repetitions, async (repetition) => {
        const single = await rate(one, workload.events);
        const double = await rate(two, workload.events);
        log(`  repetition ${repetition + 1}: 1 partition/1 relay ${Math.round(single)} events/s, 2 partitions/2 relays ${Math.round(double)} events/s`);
        return { single, double };
      });
      return {
        figures: [
          {
            name: 'relay, 2 partitions + 2 relay instances',
            unit: 'events/s',
            ours: median(rates.map((r) => r.double)),
            baseline: median(rates.map((r) => r.single)),
            baselineName: '1 partition + 1 relay',
            target: { kind: 'ratio-at-least', value: 1.7 },
          },
        ],
        settings: { events: workload.events, aggregates: workload.aggregates, repetitions: workload.repetitions, relayInstances: 'same service: one leader lock' },
      };
    } finally {
      await outboxes.close();
    }
  },
};

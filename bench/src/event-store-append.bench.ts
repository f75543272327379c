import { randomUUID } from 'node:crypto';
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore, type PostgresEventStore } from '@event-driven-io/emmett-postgresql';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@faultline/shared/database';
import { EventStore, StoredEvent, type EventToAppend } from '@faultline/shared/event-store';
import { eventsTableStatements } from '@faultline/shared/testing';
import type { BenchEnvironment } from './bench-environment.js';
import { repeat, type Benchmark, type BenchmarkOutcome, type BenchmarkRun } from './benchmark.js';
import { median, ratePerSecond } from './statistics.js';

/**
 * Appends per side and repetition. One writer, appending one stream after another, on one
 * connection each side: the figure is the cost of one append (round trips and work in PostgreSQL),
 * not how well a pool hides it. `batch` events go into one append call in the batched case: about
 * what one command of a busy aggregate writes.
 */
export const APPEND_WORKLOAD = {
  quick: { singleAppends: 300, batchedAppends: 60, batch: 10, warmUpAppends: 50, repetitions: 3 },
  full: { singleAppends: 1_500, batchedAppends: 300, batch: 10, warmUpAppends: 200, repetitions: 3 },
} as const;

const OURS_SCHEMA = 'event_store_append_ours';
const EMMETT_SCHEMA = 'event_store_append_emmett';

/** A payload like an order's: a few fields and two lines, about 300 bytes of JSON on both sides. */
function orderLikePayload(): Record<string, unknown> {
  return {
    orderId: randomUUID(),
    customerId: randomUUID(),
    currency: 'EUR',
    lines: [
      { sku: 'SKU-COFFEE-BEANS-1KG', quantity: 2, unitPriceMinor: 1_899 },
      { sku: 'SKU-GRINDER-BURR', quantity: 1, unitPriceMinor: 12_900 },
    ],
    totalMinor: 16_698,
  };
}

/** The same metadata on both sides: correlation, causation, producer. */
function metadata() {
  return { correlationId: randomUUID(), causationId: randomUUID(), producer: { name: 'bench', version: '0.0.0' } };
}

interface Side {
  /** Appends `count` events as one append to a new stream. */
  appendNewStream(count: number): Promise<void>;
  close(): Promise<void>;
}

async function ourSide(bench: BenchEnvironment): Promise<Side> {
  await bench.recreateSchema(OURS_SCHEMA);
  const setup = await bench.client();
  try {
    // The services' `events` table (apps/orders' migrations), in a private schema.
    for (const statement of eventsTableStatements(`${OURS_SCHEMA}.events`)) await setup.query(statement);
  } finally {
    await setup.end();
  }
  const base = dataSourceOptions('faultline-bench', bench.database(), { entities: [StoredEvent], migrations: [] });
  const dataSource = new DataSource({
    ...base,
    migrationsRun: false,
    // One connection, as on Emmett's side (see APPEND_WORKLOAD).
    extra: { options: `-c TimeZone=UTC -c search_path=${OURS_SCHEMA}`, max: 1 },
  });
  await dataSource.initialize();
  const store = new EventStore();
  return {
    async appendNewStream(count) {
      const events: EventToAppend[] = Array.from({ length: count }, () => ({
        eventId: randomUUID(),
        type: 'bench.widget.touched',
        schemaVersion: 1,
        payload: orderLikePayload(),
        metadata: metadata(),
        occurredAt: new Date(),
      }));
      await dataSource.transaction((transaction) => store.append(transaction, { type: 'widget', id: randomUUID() }, 0, events));
    },
    close: () => dataSource.destroy(),
  };
}

async function emmettSide(bench: BenchEnvironment): Promise<Side> {
  await bench.recreateSchema(EMMETT_SCHEMA);
  const settings = bench.database();
  const url = new URL(`postgresql://${settings.host}:${settings.port}/${settings.database}`);
  url.username = settings.username;
  url.password = settings.password;
  // Emmett's tables and functions go into their own schema: it creates them on first use.
  url.searchParams.set('options', `-c search_path=${EMMETT_SCHEMA}`);
  const store: PostgresEventStore = getPostgreSQLEventStore(url.toString());
  await store.schema.migrate();
  return {
    async appendNewStream(count) {
      const events = Array.from({ length: count }, () => ({
        type: 'bench.widget.touched',
        data: orderLikePayload(),
        metadata: metadata(),
      }));
      // The same concurrency check as ours: the stream must be new.
      await store.appendToStream(`widget-${randomUUID()}`, events, { expectedStreamVersion: STREAM_DOES_NOT_EXIST });
    },
    close: () => store.close(),
  };
}

/** Events/s of `appends` appends of `batch` events each, one after another. */
async function measure(side: Side, appends: number, batch: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < appends; i += 1) await side.appendNewStream(batch);
  return ratePerSecond(appends * batch, performance.now() - started);
}

export const eventStoreAppend: Benchmark = {
  name: 'event-store-append',
  measures: 'event-store append (events/s, single and batched) vs Emmett appendToStream on the same database',
  async run({ bench, quick, log }: BenchmarkRun): Promise<BenchmarkOutcome> {
    const workload = quick ? APPEND_WORKLOAD.quick : APPEND_WORKLOAD.full;
    const ours = await ourSide(bench);
    const emmett = await emmettSide(bench);
    try {
      for (const side of [ours, emmett]) await measure(side, workload.warmUpAppends, 1);
      const rates = await repeat(workload.repetitions, async (repetition) => {
        const result = {
          oursSingle: await measure(ours, workload.singleAppends, 1),
          emmettSingle: await measure(emmett, workload.singleAppends, 1),
          oursBatched: await measure(ours, workload.batchedAppends, workload.batch),
          emmettBatched: await measure(emmett, workload.batchedAppends, workload.batch),
        };
        log(`  repetition ${repetition + 1}: ${JSON.stringify(Object.fromEntries(Object.entries(result).map(([k, v]) => [k, Math.round(v)])))}`);
        return result;
      });
      const pick = (key: keyof (typeof rates)[number]) => median(rates.map((rate) => rate[key]));
      const target = { kind: 'ratio-at-least', value: 1.0 } as const;
      return {
        figures: [
          { name: 'event-store append, 1 event per append', unit: 'events/s', ours: pick('oursSingle'), baseline: pick('emmettSingle'), baselineName: 'Emmett', target },
          { name: `event-store append, ${workload.batch} events per append`, unit: 'events/s', ours: pick('oursBatched'), baseline: pick('emmettBatched'), baselineName: 'Emmett', target },
        ],
        settings: { ...workload, connections: 'one per side', emmett: '@event-driven-io/emmett-postgresql 0.42.0' },
      };
    } finally {
      await ours.close();
      await emmett.close();
    }
  },
};

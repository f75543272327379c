import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { ServiceProcess } from '@faultline/shared/testing';
import { repeat, type Benchmark, type BenchmarkOutcome, type BenchmarkRun } from './benchmark.js';
import type { BenchEnvironment } from './bench-environment.js';
import { signedInCustomers, startBenchIdentity, trusting, type SignedInCustomer } from './bench-identity.js';
import { holdRelayLock } from './relay-lock.js';
import { median, ratePerSecond } from './statistics.js';

/** The database the orders service runs on during the bench: created fresh, migrated by the service. */
export const ORDERS_BENCH_DATABASE = 'faultline_bench_orders';

/**
 * Orders per repetition, sent by `clients` concurrent clients on both sides: 8 HTTP requests in
 * flight against the service (whose pool has 10 connections) and 8 pg connections in the raw loop.
 */
export const COMMAND_WORKLOAD = {
  quick: { orders: 400, warmUpOrders: 100, clients: 8, repetitions: 3 },
  full: { orders: 2_000, warmUpOrders: 300, clients: 8, repetitions: 3 },
} as const;

export function placeOrderBody(customerId: string = randomUUID()) {
  return {
    customerId,
    currency: 'EUR',
    items: [
      { sku: 'SKU-COFFEE-BEANS-1KG', quantity: 2, unitPriceCents: 1_899 },
      { sku: 'SKU-GRINDER-BURR', quantity: 1, unitPriceCents: 12_900 },
    ],
  };
}

/** Runs `total` operations on `clients` concurrent loops; returns operations per second. */
export async function concurrently(total: number, clients: number, operation: (client: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (next < total) {
        next += 1;
        await operation(client);
      }
    }),
  );
  return ratePerSecond(total, performance.now() - started);
}

/** POST /orders as a customer does (a new Idempotency-Key each time); resolves to the new order's id. */
export async function placeOrder(url: string, { customerId, token }: SignedInCustomer): Promise<string> {
  const response = await fetch(`${url}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), authorization: `Bearer ${token}` },
    body: JSON.stringify(placeOrderBody(customerId)),
  });
  const body = await response.text();
  if (response.status !== 201) throw new Error(`POST /orders answered ${response.status}: ${body}`);
  return (JSON.parse(body) as { orderId: string }).orderId;
}

/**
 * The rows one placed order writes, with plain INSERTs in one transaction: the idempotency record
 * with its answer, the outbox row, the event, the order row. No framework, no validation, no HTTP.
 */
async function insertOrderRaw(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    const orderId = randomUUID();
    const eventId = randomUUID();
    const body = placeOrderBody();
    const now = new Date();
    const envelope = JSON.stringify({ eventId, type: 'orders.order.placed', schemaVersion: 1, aggregateType: 'order', aggregateId: orderId, sequence: 1, occurredAt: now.toISOString(), payload: body });
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO idempotency_records (scope, key, request_hash, response_body, response_headers, created_at) VALUES ('raw', $1, $2, $3, '{}', $4)`,
      [randomUUID(), 'hash', JSON.stringify({ orderId, status: 'placed', version: 1 }), now],
    );
    await client.query(
      `INSERT INTO outbox (event_id, topic, aggregate_type, aggregate_id, sequence, event_type, envelope, created_at) VALUES ($1, 'raw', 'order', $2, 1, 'orders.order.placed', $3, $4)`,
      [eventId, orderId, envelope, now],
    );
    await client.query(
      `INSERT INTO events (stream_id, stream_type, version, event_id, type, schema_version, payload, metadata, occurred_at) VALUES ($1, 'order', 1, $2, 'orders.order.placed', 1, $3, '{}', $4)`,
      [orderId, eventId, JSON.stringify(body), now],
    );
    await client.query(
      `INSERT INTO orders (id, customer_id, status, total_cents, currency, version, placed_at) VALUES ($1, $2, 'placed', 16698, 'EUR', 1, $3)`,
      [orderId, body.customerId, now],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Tables exactly like the service's (columns, defaults, constraints, indexes), in a schema of their
 * own: the raw loop must not write into the service's `events`, which its projector reads. Returns
 * a pool of `clients` connections whose search_path is that schema.
 */
async function rawTables(bench: BenchEnvironment, clients: number): Promise<pg.Pool> {
  const client = await bench.client(ORDERS_BENCH_DATABASE);
  try {
    await client.query('CREATE SCHEMA command_raw');
    for (const table of ['idempotency_records', 'outbox', 'events', 'orders']) {
      await client.query(`CREATE TABLE command_raw.${table} (LIKE public.${table} INCLUDING ALL)`);
    }
  } finally {
    await client.end();
  }
  return new pg.Pool({ ...bench.clientConfig(ORDERS_BENCH_DATABASE, 'command_raw'), max: clients });
}

/** How the bench's orders service runs: beside the command path's load, or inside the saga's. */
export interface OrdersServiceOptions {
  /**
   * `standby` (the command path): the bench takes the relay's lock first, so the relay publishes
   * nothing onto the shared orders topic. `publishing` (the saga): the relay publishes, so the
   * saga's starter, billing and notifications receive the bench's orders.
   */
  relay: 'standby' | 'publishing';
  /** The identity provider it trusts (and, with the saga on, asks for its billing token). */
  identity: ServiceProcess;
  /** `port: 'free'` unless the caller picked one (the saga's services need each other's ports up front). */
  port?: number;
  /** On top of the bench's settings, e.g. the saga's switches. */
  env?: Record<string, string>;
  /** Its database, created fresh: ORDERS_BENCH_DATABASE unless two instances run side by side. */
  database?: string;
}

/** The orders service on its own fresh database, straight to the primary and Kafka (no Toxiproxy). */
export async function startOrdersService(
  bench: BenchEnvironment,
  options: OrdersServiceOptions,
): Promise<{ orders: ServiceProcess; release: () => Promise<void> }> {
  const database = options.database ?? ORDERS_BENCH_DATABASE;
  await bench.recreateDatabase(database);
  const lock = options.relay === 'standby' ? await bench.client(database) : undefined;
  try {
    if (lock) await holdRelayLock(lock, 'orders');
    const { env } = bench;
    const orders = await ServiceProcess.start({ app: 'orders', port: options.port ?? 'free', logName: `bench-${database.replace('faultline_bench_', '').replaceAll('_', '-')}`, env: (port) => ({
      ORDERS_HTTP_PORT: String(port),
      TOXIPROXY_ORDERS_PG_PORT: env.PG_PRIMARY_PORT ?? '',
      TOXIPROXY_ORDERS_PG_REPLICA_PORT: env.PG_REPLICA_PORT ?? '',
      ORDERS_DB_NAME: database,
      ORDERS_DB_USER: bench.superuser.username,
      ORDERS_DB_PASSWORD: bench.superuser.password ?? '',
      TOXIPROXY_KAFKA_PORT: env.KAFKA_PORT ?? '',
      ORDERS_OUTBOX_PUBLISHING: 'ordered',
      // The saga's consumer group reads the shared orders topic and its worker polls the shared task
      // queue: unless the caller switches it on (on a task queue of its own), a bench instance joins
      // neither, or it would take other suites' orders.
      ORDERS_FULFILMENT: 'off',
      ...trusting(options.identity),
      LOG_LEVEL: 'warn',
      ...options.env,
    }) });
    return { orders, release: async () => void (await lock?.end()) };
  } catch (error) {
    await lock?.end();
    throw error;
  }
}

export const commandPath: Benchmark = {
  name: 'command-path',
  measures: 'POST /orders over HTTP to a committed event and outbox row (orders/s) vs a raw single-transaction INSERT loop with pg; peak RSS of the orders service',
  async run({ bench, quick, log }: BenchmarkRun): Promise<BenchmarkOutcome> {
    const workload = quick ? COMMAND_WORKLOAD.quick : COMMAND_WORKLOAD.full;
    const identity = await startBenchIdentity();
    let pool: pg.Pool | undefined;
    let started: Awaited<ReturnType<typeof startOrdersService>> | undefined;
    try {
      started = await startOrdersService(bench, { relay: 'standby', identity });
      const { orders } = started;
      pool = await rawTables(bench, workload.clients);
      const rawWriters = pool;
      const tokenOf = await signedInCustomers(identity, workload.clients);
      await concurrently(workload.warmUpOrders, workload.clients, async (client) => void (await placeOrder(orders.url, tokenOf(client))));
      await concurrently(workload.warmUpOrders, workload.clients, () => insertOrderRaw(rawWriters));
      const rssAfterWarmUp = orders.rssMb();
      const cpu: number[] = [];
      const rates = await repeat(workload.repetitions, async (repetition) => {
        const cpuBefore = orders.cpuSeconds();
        const http = await concurrently(workload.orders, workload.clients, async (client) => void (await placeOrder(orders.url, tokenOf(client))));
        cpu.push(((orders.cpuSeconds() - cpuBefore) * 1000) / workload.orders);
        const raw = await concurrently(workload.orders, workload.clients, () => insertOrderRaw(rawWriters));
        // RSS after each repetition tells growth that levels off (heap sizing) from growth that does not (a leak).
        log(`  repetition ${repetition + 1}: POST /orders ${Math.round(http)} orders/s, raw INSERT loop ${Math.round(raw)} orders/s; orders RSS ${orders.rssMb().toFixed(0)} MB`);
        return { http, raw };
      });
      const peakRss = orders.peakRssMb();
      log(`  orders service RSS ${rssAfterWarmUp.toFixed(1)} MB after warm-up, peak ${peakRss.toFixed(1)} MB; CPU per order ${median(cpu).toFixed(2)} ms`);
      return {
        figures: [
          {
            name: 'command path, POST /orders → committed event + outbox row',
            unit: 'orders/s',
            ours: median(rates.map((rate) => rate.http)),
            baseline: median(rates.map((rate) => rate.raw)),
            baselineName: 'raw pg INSERT loop',
            target: { kind: 'ratio-at-least', value: 0.6 },
          },
          // Not a target: where the service's time goes (a 2-core machine shared with PostgreSQL).
          { name: 'orders service CPU per POST /orders', unit: 'ms', ours: median(cpu), baseline: null },
          { name: 'orders service peak RSS under the command load', unit: 'MB', ours: peakRss, baseline: null, target: { kind: 'below', value: 200 } },
        ],
        settings: { ...workload, ordersRssAfterWarmUpMb: Math.round(rssAfterWarmUp), ordersDatabase: ORDERS_BENCH_DATABASE, relay: 'held in standby (its lock taken by the bench)', tokens: 'user tokens from the identity provider (authorization code + PKCE), one customer per client, before the clock starts', logLevel: 'warn' },
      };
    } finally {
      await pool?.end();
      await started?.orders.stop();
      await started?.release();
      await identity.stop();
    }
  },
};

import { randomBytes, randomUUID } from 'node:crypto';
import { eventually } from '@faultline/shared/testing';
import type { BenchEnvironment } from './bench-environment.js';
import { repeat, type Benchmark, type BenchmarkOutcome, type BenchmarkRun } from './benchmark.js';
import { signedInCustomers, startBenchIdentity, type SignedInCustomer } from './bench-identity.js';
import { COMMAND_WORKLOAD, ORDERS_BENCH_DATABASE, concurrently, placeOrder, placeOrderBody, startOrdersService } from './command-path.bench.js';
import { median } from './statistics.js';

/**
 * The command path's load, with a longer warm-up and more repetitions: the orders service's CPU per
 * order keeps falling for its first few thousand orders (the JIT and the pools warming up, faster on
 * the untraced side), and one side's share of a noisy 2-core machine swings by ±5 % between two
 * repetitions. The figure is the median of the alternating repetitions, once both sides are warm.
 */
const TRACING_WORKLOAD = {
  quick: { ...COMMAND_WORKLOAD.quick, warmUpOrders: 400 },
  full: { ...COMMAND_WORKLOAD.full, warmUpOrders: 1_500, repetitions: 5 },
} as const;

/** The traced instances' own databases, so no two instances share a table or a relay lock. */
const TRACED_DATABASE = `${ORDERS_BENCH_DATABASE}_traced`;
const SAMPLED_DATABASE = `${ORDERS_BENCH_DATABASE}_sampled`;

/**
 * What a production deployment would set instead of keeping every trace: a tenth of the requests
 * that arrive without a sampled parent start a trace. Measured beside the default, not as the target.
 */
const PRODUCTION_SAMPLER = { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' } as const;

/**
 * Places one order with a traceparent of our own and says whether Jaeger received that trace from
 * the service: the traced side must really export (or the ratio would compare two untraced
 * services), and the untraced side must not.
 */
async function exportsTraces(bench: BenchEnvironment, url: string, customer: SignedInCustomer): Promise<boolean> {
  const traceId = randomBytes(16).toString('hex');
  const response = await fetch(`${url}/orders`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
      authorization: `Bearer ${customer.token}`,
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
    },
    body: JSON.stringify(placeOrderBody(customer.customerId)),
  });
  if (response.status !== 201) throw new Error(`POST /orders answered ${response.status}: ${await response.text()}`);
  const jaeger = `http://127.0.0.1:${bench.env.JAEGER_QUERY_HTTP_PORT}/api/traces/${traceId}`;
  // The batch span processor exports every 5 s by default: wait out one period and a little.
  return eventually(async () => ((await fetch(jaeger)).status === 200 ? true : undefined), { timeoutMs: 8_000, intervalMs: 250 }).then(
    () => true,
    () => false,
  );
}

export const tracingOverhead: Benchmark = {
  name: 'tracing-overhead',
  measures:
    'POST /orders with OpenTelemetry tracing on (every span exported to Jaeger) vs the same service with OTEL_SDK_DISABLED=true, side by side; and with 1 request in 10 sampled',
  async run({ bench, quick, log }: BenchmarkRun): Promise<BenchmarkOutcome> {
    const workload = quick ? TRACING_WORKLOAD.quick : TRACING_WORKLOAD.full;
    const identity = await startBenchIdentity();
    const started: Awaited<ReturnType<typeof startOrdersService>>[] = [];
    try {
      const untraced = await startOrdersService(bench, { relay: 'standby', identity, env: { OTEL_SDK_DISABLED: 'true' } });
      started.push(untraced);
      const traced = await startOrdersService(bench, { relay: 'standby', identity, database: TRACED_DATABASE, env: { OTEL_SDK_DISABLED: 'false' } });
      started.push(traced);
      const sampled = await startOrdersService(bench, {
        relay: 'standby',
        identity,
        database: SAMPLED_DATABASE,
        env: { OTEL_SDK_DISABLED: 'false', ...PRODUCTION_SAMPLER },
      });
      started.push(sampled);
      const tokenOf = await signedInCustomers(identity, workload.clients);
      const sides = { untraced: untraced.orders, traced: traced.orders, sampled: sampled.orders };
      const names = Object.keys(sides) as (keyof typeof sides)[];
      for (const orders of Object.values(sides)) {
        await concurrently(workload.warmUpOrders, workload.clients, async (client) => void (await placeOrder(orders.url, tokenOf(client))));
      }
      const rates = await repeat(workload.repetitions, async (repetition) => {
        // Which side goes first rotates, so a drift in the machine's load hits every side alike.
        const order = [...names.slice(repetition % names.length), ...names.slice(0, repetition % names.length)];
        const rate = { untraced: 0, traced: 0, sampled: 0 };
        const cpuMs = { ...rate };
        for (const side of order) {
          const cpuBefore = sides[side].cpuSeconds();
          rate[side] = await concurrently(workload.orders, workload.clients, async (client) => void (await placeOrder(sides[side].url, tokenOf(client))));
          cpuMs[side] = ((sides[side].cpuSeconds() - cpuBefore) * 1000) / workload.orders;
        }
        log(
          `  repetition ${repetition + 1}: ` +
            names.map((side) => `${side} ${Math.round(rate[side])} orders/s (${cpuMs[side].toFixed(2)} ms CPU each)`).join(', '),
        );
        return { rate, cpuMs };
      });
      const exports = {
        traced: await exportsTraces(bench, sides.traced.url, tokenOf(0)),
        sampled: await exportsTraces(bench, sides.sampled.url, tokenOf(0)),
        untraced: await exportsTraces(bench, sides.untraced.url, tokenOf(0)),
      };
      if (!exports.traced) throw new Error('the traced orders service sent no trace to Jaeger: the comparison would be between two untraced services');
      if (!exports.sampled) throw new Error('the orders service with a ratio sampler dropped a request whose traceparent said sampled');
      if (exports.untraced) throw new Error('the orders service with OTEL_SDK_DISABLED=true sent a trace to Jaeger');
      const rss = { traced: sides.traced.peakRssMb(), untraced: sides.untraced.peakRssMb() };
      log(`  peak RSS: traced ${rss.traced.toFixed(0)} MB, untraced ${rss.untraced.toFixed(0)} MB`);
      return {
        figures: [
          {
            name: 'command path with tracing on, POST /orders → committed event + outbox row',
            unit: 'orders/s',
            ours: median(rates.map(({ rate }) => rate.traced)),
            baseline: median(rates.map(({ rate }) => rate.untraced)),
            baselineName: 'the same service, OTEL_SDK_DISABLED=true',
            target: { kind: 'ratio-at-least', value: 0.9 },
          },
          // Not a target: the service's own share of the cost (spans, context, export), apart from
          // Jaeger's and PostgreSQL's, which run on the same 2 cores.
          {
            name: 'orders service CPU per POST /orders, tracing on',
            unit: 'ms',
            ours: median(rates.map(({ cpuMs }) => cpuMs.traced)),
            baseline: median(rates.map(({ cpuMs }) => cpuMs.untraced)),
            baselineName: 'tracing off',
          },
          { name: 'orders service peak RSS, tracing on', unit: 'MB', ours: rss.traced, baseline: rss.untraced, baselineName: 'tracing off' },
          // Not a target: the cost where a tenth of the requests are traced, for a reader choosing a
          // production sampler.
          {
            name: 'command path with tracing on, 1 request in 10 sampled (parentbased_traceidratio 0.1)',
            unit: 'orders/s',
            ours: median(rates.map(({ rate }) => rate.sampled)),
            baseline: median(rates.map(({ rate }) => rate.untraced)),
            baselineName: 'the same service, OTEL_SDK_DISABLED=true',
          },
        ],
        settings: {
          ...workload,
          exporter: 'OTLP/HTTP to Jaeger (infra/faultline.env JAEGER_OTLP_HTTP_PORT), batch span processor, sampler parentbased_always_on',
          sampledSide: PRODUCTION_SAMPLER,
          spansReachedJaeger: 'checked after the run: a request with a known, sampled trace id reached Jaeger from both traced sides and not from the untraced one',
          databases: [ORDERS_BENCH_DATABASE, TRACED_DATABASE, SAMPLED_DATABASE],
        },
      };
    } finally {
      for (const side of started) {
        await side.orders.stop();
        await side.release();
      }
      await identity.stop();
    }
  },
};

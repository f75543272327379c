import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { ORDER_EVENTS_TOPIC } from '@faultline/shared/contracts';
import { connectTemporalClient, HostedWorker, type TemporalAddress } from '@faultline/shared/temporal-worker';
import { workspaceRoot } from '@faultline/shared/testing';
import { repeat, type Benchmark, type BenchmarkOutcome, type BenchmarkRun } from './benchmark.js';
import { signedInCustomers } from './bench-identity.js';
import type { Figure } from './figures.js';
import { bareFulfilmentActivities } from './saga/bare-fulfilment.activities.js';
import { awaitCaughtUp } from './saga/consumer-lag.js';
import { FulfilmentBatches, type MeasuredBatch } from './saga/fulfilment-batches.js';
import { ORDER_EVENT_CONSUMER_GROUPS, SERVICE_NAMES, startFulfilmentServices, type FulfilmentServices } from './saga/fulfilment-services.js';
import { temporalServerCpu } from './saga/process-cpu.js';
import { median } from './statistics.js';

/**
 * Orders per repetition, the same N on both sides, placed (or started) by `clients` concurrent
 * clients. One repetition: at the dev server's few workflows per second, 200 orders a side already
 * take minutes of a full run; ours and the baseline still alternate, so a burst hits both.
 */
export const SAGA_WORKLOAD = {
  quick: { orders: 50, warmUpOrders: 5, clients: 8, repetitions: 1 },
  full: { orders: 200, warmUpOrders: 20, clients: 8, repetitions: 1 },
} as const;

/** How long billing and notifications get to apply the orders topic before their memory is read. */
const CATCH_UP_TIMEOUT_MS = 60_000;
/** Each service's resident memory target (docs/performance.md). */
const RSS_TARGET_MB = 200;

/** The Temporal SDK both workers run (the workspace's @temporalio/* packages). */
const TEMPORAL_SDK_VERSION = (createRequire(import.meta.url)('@temporalio/client/package.json') as { version: string }).version;

/** The baseline's worker, in the bench process: the saga's shape with no-op activities. */
async function startBareWorker(temporal: TemporalAddress, taskQueue: string): Promise<HostedWorker> {
  const worker = new HostedWorker({
    purpose: 'bare fulfilment (bench)',
    temporal,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./saga/bare-fulfilment.workflow.js', import.meta.url)),
    activities: bareFulfilmentActivities,
    logger: pino({ level: 'warn' }),
    consequence: 'the bare-workflow baseline cannot complete',
  });
  await worker.start();
  return worker;
}

/** The services and the bare worker, started side by side; whatever started is stopped if the other fails. */
async function startBothSides(
  bench: BenchmarkRun['bench'],
  temporal: TemporalAddress,
  bareTaskQueue: string,
  log: (line: string) => void,
): Promise<{ services: FulfilmentServices; worker: HostedWorker }> {
  const [services, worker] = await Promise.allSettled([
    // Orders placed before this instant (other suites', earlier runs') are not this run's to fulfil.
    startFulfilmentServices(bench, new Date(), log),
    startBareWorker(temporal, bareTaskQueue),
  ]);
  if (services.status === 'fulfilled' && worker.status === 'fulfilled') return { services: services.value, worker: worker.value };
  if (services.status === 'fulfilled') await services.value.stop();
  if (worker.status === 'fulfilled') await worker.value.stop();
  throw services.status === 'rejected' ? services.reason : (worker as PromiseRejectedResult).reason;
}

async function temporalServerVersion(client: Client): Promise<string> {
  const info = await client.workflowService.getSystemInfo({}).catch(() => undefined);
  return info?.serverVersion ?? 'version unknown';
}

const megabytes = (services: FulfilmentServices, read: 'rssMb' | 'peakRssMb') =>
  Object.fromEntries(SERVICE_NAMES.map((name) => [name, Math.round(services[name][read]())]));

function throughputAndLatencyFigures(saga: MeasuredBatch[], bare: MeasuredBatch[]): Figure[] {
  const of = (runs: MeasuredBatch[], pick: (run: MeasuredBatch) => number) => median(runs.map(pick));
  const baselineName = 'bare workflow';
  return [
    {
      name: 'saga, POST /orders → paid, vs bare Temporal workflow',
      unit: 'orders/s',
      ours: of(saga, (run) => run.throughputPerSecond),
      baseline: of(bare, (run) => run.throughputPerSecond),
      baselineName: 'bare workflow, 4 no-op activities',
      target: { kind: 'ratio-at-least', value: 0.5 },
    },
    { name: 'saga, workflow start → complete p50', unit: 'ms', ours: of(saga, (run) => run.startToCloseP50Ms), baseline: of(bare, (run) => run.startToCloseP50Ms), baselineName },
    { name: 'saga, workflow start → complete p99', unit: 'ms', ours: of(saga, (run) => run.startToCloseP99Ms), baseline: of(bare, (run) => run.startToCloseP99Ms), baselineName },
    {
      name: 'saga, POST /orders → paid p99 (bare: start request → complete)',
      unit: 'ms',
      ours: of(saga, (run) => run.submitToCloseP99Ms),
      baseline: of(bare, (run) => run.submitToCloseP99Ms),
      baselineName,
    },
  ];
}

/** Not targets: where each side's time goes, on a 2-core machine the server, services and bench share. */
function cpuFigures(saga: MeasuredBatch[], bare: MeasuredBatch[]): Figure[] {
  const server = (runs: MeasuredBatch[]) => {
    const values = runs.map((run) => run.serverCpuMs).filter((value): value is number => value !== undefined);
    return values.length === runs.length ? median(values) : null;
  };
  return [
    {
      name: 'Temporal dev server CPU per completed workflow',
      unit: 'ms',
      ours: server(saga),
      baseline: server(bare),
      baselineName: 'bare workflow',
      note: 'not measured: .faultline/run/temporal.pid or /proc not readable',
    },
    { name: "saga services' CPU per order (orders + billing + notifications + provider)", unit: 'ms', ours: median(saga.map((run) => run.servicesCpuMs)), baseline: null },
  ];
}

/** Item 6: each service's peak RSS (VmHWM) after the saga's load, start-up included. */
function rssFigures(services: FulfilmentServices): Figure[] {
  const target = { kind: 'below', value: RSS_TARGET_MB } as const;
  return [
    { name: 'orders service peak RSS with the saga worker, under the saga load', unit: 'MB', ours: services.orders.peakRssMb(), baseline: null, target },
    { name: 'billing service peak RSS under the saga load', unit: 'MB', ours: services.billing.peakRssMb(), baseline: null, target },
    { name: 'notifications service peak RSS under the saga load', unit: 'MB', ours: services.notifications.peakRssMb(), baseline: null, target },
    { name: 'payment-provider peak RSS under the saga load', unit: 'MB', ours: services.paymentProvider.peakRssMb(), baseline: null, target },
  ];
}

function describeRepetition(repetition: number, saga: MeasuredBatch, bare: MeasuredBatch): string {
  const cpu = (run: MeasuredBatch) => (run.serverCpuMs === undefined ? '?' : run.serverCpuMs.toFixed(0));
  return (
    `  repetition ${repetition + 1}: saga ${saga.throughputPerSecond.toFixed(1)} orders/s (start → complete p50 ${saga.startToCloseP50Ms} ms, ` +
    `p99 ${saga.startToCloseP99Ms} ms; placed → paid p99 ${saga.submitToCloseP99Ms} ms), bare ${bare.throughputPerSecond.toFixed(1)} workflows/s ` +
    `(p50 ${bare.startToCloseP50Ms} ms, p99 ${bare.startToCloseP99Ms} ms); Temporal server CPU per workflow: saga ${cpu(saga)} ms, bare ${cpu(bare)} ms; ` +
    `services' CPU per saga order ${saga.servicesCpuMs.toFixed(0)} ms (${SERVICE_NAMES.map((name) => `${name} ${saga.serviceCpuMs[name].toFixed(0)}`).join(', ')}); ` +
    `bench process (its worker) per bare workflow ${bare.benchCpuMs.toFixed(0)} ms`
  );
}

/**
 * Item 5 of the issue: orders placed through the real orders service and fulfilled by the real
 * OrderFulfilment saga (billing and the payment provider behind it), placed → paid, against a bare
 * Temporal workflow of the same shape with no-op activities on the same dev server. Item 6: every
 * service's memory under that load — billing and notifications apply the orders topic the saga fills,
 * billing and the provider serve its payments.
 */
export const sagaVsTemporal: Benchmark = {
  name: 'saga',
  measures: 'order-fulfilment saga, POST /orders → paid (completions/s), vs a bare Temporal workflow with the same four activities as no-ops; peak RSS of every service under that load',
  async run({ bench, quick, log }: BenchmarkRun): Promise<BenchmarkOutcome> {
    const workload = quick ? SAGA_WORKLOAD.quick : SAGA_WORKLOAD.full;
    const temporal = { address: `127.0.0.1:${bench.env.TEMPORAL_PORT ?? '17233'}`, namespace: bench.env.TEMPORAL_NAMESPACE ?? 'default' };
    const bareTaskQueue = `bench-${bench.runId}-bare-fulfilment`;
    const client = await connectTemporalClient(temporal);
    try {
      const { services, worker } = await startBothSides(bench, temporal, bareTaskQueue, log);
      try {
        const tokenOf = await signedInCustomers(services.identity, workload.clients);
        const batches = new FulfilmentBatches(client, services, bareTaskQueue, workload.clients, tokenOf, temporalServerCpu(workspaceRoot()));
        // Warm-up: the saga starter's consumer joins its group; the workers' caches and the JIT fill.
        await batches.saga(workload.warmUpOrders);
        await batches.bare(workload.warmUpOrders);
        const residentAfterWarmUp = megabytes(services, 'rssMb');
        const runs = await repeat(workload.repetitions, async (repetition) => {
          const saga = await batches.saga(workload.orders);
          const bare = await batches.bare(workload.orders);
          log(describeRepetition(repetition, saga, bare));
          return { saga, bare };
        });
        // Memory is read once billing and notifications have applied every event the load produced.
        const lags = await awaitCaughtUp(bench.kafka, ORDER_EVENTS_TOPIC, Object.values(ORDER_EVENT_CONSUMER_GROUPS), CATCH_UP_TIMEOUT_MS);
        log(`  RSS after warm-up ${JSON.stringify(residentAfterWarmUp)} MB, peak ${JSON.stringify(megabytes(services, 'peakRssMb'))} MB; consumer lag at the end ${JSON.stringify(lags)}`);
        const saga = runs.map((run) => run.saga);
        const bare = runs.map((run) => run.bare);
        return {
          figures: [...throughputAndLatencyFigures(saga, bare), ...cpuFigures(saga, bare), ...rssFigures(services)],
          settings: {
            ...workload,
            activities: '4 sequential (authorize, confirm, capture, mark paid) with the saga’s retry options, on both sides',
            workers: 'HostedWorker defaults on both sides: the saga’s in the orders process, the bare one in the bench process',
            temporal: `${temporal.address}: dev server ${await temporalServerVersion(client)}, SDK ${TEMPORAL_SDK_VERSION}`,
            services:
              'orders on faultline_bench_orders with its relay publishing to orders.order.events; billing, notifications and the provider on their own databases; all direct to PostgreSQL and Kafka',
            tokens: 'from the identity provider: the clients sign in (authorization code + PKCE) before the clock starts; orders gets its billing token (client credentials) during the warm-up and reuses it',
            residentAfterWarmUpMb: residentAfterWarmUp,
            benchCpuPerBareWorkflowMs: Math.round(median(bare.map((run) => run.benchCpuMs))),
            serviceCpuPerSagaOrderMs: Object.fromEntries(SERVICE_NAMES.map((name) => [name, Math.round(median(saga.map((run) => run.serviceCpuMs[name])))])),
            consumerLagAtEnd: lags,
          },
        };
      } finally {
        await worker.stop();
        await services.stop();
      }
    } finally {
      await client.connection.close();
    }
  },
};

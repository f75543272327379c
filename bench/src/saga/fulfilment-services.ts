import { freePorts, ServiceProcess } from '@faultline/shared/testing';
import type { BenchEnvironment } from '../bench-environment.js';
import { startBenchIdentity, trusting } from '../bench-identity.js';
import { startOrdersService } from '../command-path.bench.js';
import { awaitGroupsIdle } from './consumer-lag.js';

/** The consumer groups that read the orders topic in billing and notifications (their config.ts). */
export const ORDER_EVENT_CONSUMER_GROUPS = { billing: 'billing-orders', notifications: 'notifications-orders' } as const;
/** The saga's starter in orders (order-fulfilment-options.ts): it reads the orders topic too. */
export const SAGA_STARTER_GROUP = 'orders-fulfilment';

/** The processes of the order-fulfilment path, by their field in FulfilmentServices. */
export const SERVICE_NAMES = ['orders', 'billing', 'notifications', 'paymentProvider'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Every process of the order-fulfilment path, each on a free port, with the saga on. */
export interface FulfilmentServices {
  /** The identity provider every service trusts: the clients' tokens and orders' billing token come from it. */
  identity: ServiceProcess;
  orders: ServiceProcess;
  billing: ServiceProcess;
  notifications: ServiceProcess;
  paymentProvider: ServiceProcess;
  /** The task queue the orders service's saga worker polls: this run's own. */
  taskQueue: string;
  stop(): Promise<void>;
}

/**
 * Starts the identity provider, the payment provider, billing, notifications and orders
 * (ORDERS_FULFILMENT=saga) as real processes on free ports, reaching PostgreSQL and Kafka directly
 * (no Toxiproxy: a proxy would be measured too, and other suites cut proxies). Billing and
 * notifications trust the identity provider's tokens, and orders' saga gets its token for billing's
 * payments from it (client credentials), as in production.
 *
 * Orders runs on the bench's own fresh database, but its relay publishes: its events go onto the
 * real orders topic, where the saga's starter, billing and notifications — fixed consumer groups —
 * read them (the topic's name is in the contracts, so there is no run-private one to use). The saga
 * polls a task queue of this run's own and fulfils only orders placed from `placedSince` on, so it
 * never takes another suite's orders; billing, notifications and the provider keep their own
 * databases, so their inboxes and ordering checkpoints match their groups' committed offsets and
 * another suite's events on the topic are applied as the real services apply them. The bench is meant
 * to run alone (ADR 0010); placed orders have customers of their own.
 */
export async function startFulfilmentServices(bench: BenchEnvironment, placedSince: Date, log: (line: string) => void): Promise<FulfilmentServices> {
  await awaitGroupsIdle(bench.kafka, [...Object.values(ORDER_EVENT_CONSUMER_GROUPS), SAGA_STARTER_GROUP], undefined, log);
  const { env } = bench;
  const taskQueue = `bench-${bench.runId}-order-fulfilment`;
  const [ordersPort, billingPort, notificationsPort] = (await freePorts(3)) as [number, number, number];
  const started: ServiceProcess[] = [];
  const stop = async () => void (await Promise.allSettled(started.map((service) => service.stop())));
  let releaseOrders: () => Promise<void> = () => Promise.resolve();
  try {
    const identity = await startBenchIdentity();
    started.push(identity);
    const direct = { TOXIPROXY_KAFKA_PORT: env.KAFKA_PORT ?? '', LOG_LEVEL: 'warn', FAULTLINE_WORKSHOP_MODE: 'false', ...trusting(identity) };
    const peers = { ORDERS_HTTP_PORT: String(ordersPort), BILLING_HTTP_PORT: String(billingPort), NOTIFICATIONS_HTTP_PORT: String(notificationsPort) };
    const paymentProvider = await ServiceProcess.start({
      app: 'payment-provider',
      port: 'free',
      logName: 'bench-payment-provider',
      env: (port) => ({ PAYMENT_PROVIDER_HTTP_PORT: String(port), LOG_LEVEL: 'warn' }),
    });
    started.push(paymentProvider);
    const starting = await Promise.allSettled([
      startOrdersService(bench, {
        relay: 'publishing',
        identity,
        port: ordersPort,
        env: {
          ...peers,
          ORDERS_FULFILMENT: 'saga',
          ORDERS_FULFILMENT_TASK_QUEUE: taskQueue,
          ORDERS_FULFILMENT_PLACED_SINCE: placedSince.toISOString(),
        },
      }).then(({ orders, release }) => {
        releaseOrders = release;
        return orders;
      }),
      ServiceProcess.start({
        app: 'billing',
        port: billingPort,
        logName: 'bench-billing',
        env: () => ({
          ...direct,
          ...peers,
          TOXIPROXY_BILLING_PG_PORT: env.PG_PRIMARY_PORT ?? '',
          TOXIPROXY_BILLING_PG_REPLICA_PORT: env.PG_REPLICA_PORT ?? '',
          PAYMENT_PROVIDER_HTTP_PORT: String(paymentProvider.port),
          // Its billing-run worker polls a queue of this run's own: it must not take the real billing's runs.
          BILLING_RUN_TASK_QUEUE: `bench-${bench.runId}-billing-runs`,
        }),
      }),
      ServiceProcess.start({
        app: 'notifications',
        port: notificationsPort,
        logName: 'bench-notifications',
        env: () => ({ ...direct, ...peers, TOXIPROXY_NOTIFICATIONS_PG_PORT: env.PG_PRIMARY_PORT ?? '' }),
      }),
    ]);
    for (const result of starting) if (result.status === 'fulfilled') started.push(result.value);
    for (const result of starting) if (result.status === 'rejected') throw result.reason;
    const [orders, billing, notifications] = starting.map((result) => (result as PromiseFulfilledResult<ServiceProcess>).value) as [
      ServiceProcess,
      ServiceProcess,
      ServiceProcess,
    ];
    return {
      identity,
      orders,
      billing,
      notifications,
      paymentProvider,
      taskQueue,
      stop: async () => {
        await stop();
        await releaseOrders();
      },
    };
  } catch (error) {
    await stop();
    await releaseOrders();
    throw error;
  }
}

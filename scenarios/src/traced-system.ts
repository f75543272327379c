import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { loadConfig, port } from '@faultline/shared/config';
import { ServiceProcess, requireReachable } from '@faultline/shared/testing';
import { requireScenarioPortsFree } from './free-ports.js';
import { ScenarioIdentity } from './identity.js';

/** Where the whole system's services listen, and Jaeger's query API. */
export const systemPorts = () =>
  loadConfig(
    'scenarios',
    z.object({
      ORDERS_HTTP_PORT: port(),
      BILLING_HTTP_PORT: port(),
      NOTIFICATIONS_HTTP_PORT: port(),
      PAYMENT_PROVIDER_HTTP_PORT: port(),
      JAEGER_OTLP_HTTP_PORT: port(),
      JAEGER_QUERY_HTTP_PORT: port(),
    }),
  );

/** Tracing on whatever the caller's environment says, and exported every 200 ms instead of 5 s. */
const TRACED = { OTEL_SDK_DISABLED: 'false', OTEL_BSP_SCHEDULE_DELAY: '200' };

/** The whole system of a test, traced to Jaeger: the identity provider and the four services, orders with its saga on. */
export interface TracedSystem {
  identity: ScenarioIdentity;
  orders: ServiceProcess;
  billing: ServiceProcess;
  notifications: ServiceProcess;
  paymentProvider: ServiceProcess;
  /** Stops every service, then the identity provider (also those a failed start left running). */
  stop(): Promise<void>;
}

/** Variables of a test's own for some of the services, beside the tracing ones. */
export type TracedSystemEnvironment = Partial<Record<'payment-provider' | 'billing' | 'notifications' | 'orders', Record<string, string>>>;

/**
 * Starts the identity provider, the payment provider, billing, notifications and orders (its saga on,
 * on a task queue of this run's own, fulfilling only the orders placed from now on) on their
 * configured ports, every one traced to Jaeger. Fails, naming it, when something already listens on
 * a port or Jaeger does not answer. `logPrefix` names the logs: `.faultline/logs/<prefix>-<app>.log`.
 */
export async function startTracedSystem(logPrefix: string, own: TracedSystemEnvironment = {}): Promise<TracedSystem> {
  const ports = systemPorts();
  await requireReachable('Jaeger (OTLP/HTTP)', ports.JAEGER_OTLP_HTTP_PORT);
  await requireReachable('Jaeger (query API)', ports.JAEGER_QUERY_HTTP_PORT);
  await requireScenarioPortsFree({
    orders: ports.ORDERS_HTTP_PORT,
    billing: ports.BILLING_HTTP_PORT,
    notifications: ports.NOTIFICATIONS_HTTP_PORT,
    'payment-provider': ports.PAYMENT_PROVIDER_HTTP_PORT,
  });
  const identity = await ScenarioIdentity.start(TRACED);
  const starting = await Promise.allSettled([
    ServiceProcess.start({ app: 'payment-provider', port: ports.PAYMENT_PROVIDER_HTTP_PORT, env: () => ({ ...TRACED, ...own['payment-provider'] }), logName: `${logPrefix}-payment-provider` }),
    ServiceProcess.start({ app: 'billing', port: ports.BILLING_HTTP_PORT, env: () => ({ ...TRACED, ...own.billing }), logName: `${logPrefix}-billing` }),
    ServiceProcess.start({ app: 'notifications', port: ports.NOTIFICATIONS_HTTP_PORT, env: () => ({ ...TRACED, ...own.notifications }), logName: `${logPrefix}-notifications` }),
    ServiceProcess.start({
      app: 'orders',
      port: ports.ORDERS_HTTP_PORT,
      logName: `${logPrefix}-orders`,
      env: () => ({
        ...TRACED,
        ORDERS_FULFILMENT: 'saga',
        ORDERS_FULFILMENT_TASK_QUEUE: `${logPrefix}-${randomUUID()}`,
        ORDERS_FULFILMENT_PLACED_SINCE: new Date().toISOString(),
        ...own.orders,
      }),
    }),
  ]);
  const started = starting.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = async () => {
    await Promise.allSettled(started.map((service) => service.stop()));
    await identity.stop();
  };
  const failed = starting.find((result) => result.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const [paymentProvider, billing, notifications, orders] = started as [ServiceProcess, ServiceProcess, ServiceProcess, ServiceProcess];
  return { identity, orders, billing, notifications, paymentProvider, stop };
}

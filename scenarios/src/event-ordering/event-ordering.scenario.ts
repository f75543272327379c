import { ORDER_EVENTS_TOPIC } from '@faultline/shared/contracts';
import { KafkaClient } from '@faultline/shared/messaging';
import { createServiceLogger } from '@faultline/shared/observability';
import { ServiceProcess } from '@faultline/shared/testing';
import { scenarioEnvironment } from '../environment.js';
import { requireScenarioPortsFree } from '../free-ports.js';
import { ScenarioIdentity } from '../identity.js';
import type { Narrator, Scenario, ScenarioMode, ScenarioOutcome } from '../scenario.js';
import { BILLING_CONSUMER, awaitCaughtUp, billingCounters, billingStatus, pending } from './billing-readings.js';
import { awaitPublished, awaitSeen, cancelledFirstOnOnePartition, partitionsPerOrder } from './order-events-on-topic.js';
import { placeAndCancelOrders } from './order-traffic.js';
import { publishCancelledBeforePlaced } from './out-of-order-events.js';

/** Orders placed and cancelled per run: with ~1/3 of them reordered in naive mode, see the test. */
export const ORDER_COUNT = 40;
/**
 * Further orders whose "cancelled" the scenario itself publishes before their "placed", on the
 * order's one partition: the delivery order keyed publishing cannot fix, which only the consumer's
 * ordering guard puts right (held early, applied once "placed" arrives).
 */
export const OUT_OF_ORDER_COUNT = 10;

/**
 * Article 4 — event ordering. Orders and billing run as real processes. Orders are placed and
 * cancelled while billing is down, so billing comes back to a backlog spread over the topic's
 * partitions and reads it partition by partition, as a consumer catching up does in production.
 * Naive: random keys scatter an order's two events over partitions, and billing applies whatever it
 * reads first; where "cancelled" comes first it cannot be applied and is lost, and billing keeps the
 * order "placed" for good. Correct: keyed by order id, both events share a partition. Either way
 * the scenario also publishes, for OUT_OF_ORDER_COUNT more orders, "cancelled" before "placed" on
 * one partition, as a producer that sent them out of order would: billing's ordering guard holds
 * each early "cancelled" until its "placed" has been applied (correct), or the naive consumer fails
 * on it, dead-letters it and keeps the order "placed" (naive).
 */
export const eventOrderingScenario: Scenario = {
  name: 'event-ordering',
  article: 4,
  title: 'Event ordering — "cancelled" applied before "placed"',
  // Two switches, one per side: the producer's keys (orders) and the consumer's guard (billing).
  switches: {
    naive: { ORDERS_OUTBOX_PUBLISHING: 'naive', BILLING_CONSUMER_ORDERING: 'naive' },
    correct: { ORDERS_OUTBOX_PUBLISHING: 'ordered', BILLING_CONSUMER_ORDERING: 'guarded' },
  },
  promise: {
    naive:
      `${ORDER_COUNT} orders placed then cancelled, and ${OUT_OF_ORDER_COUNT} more delivered "cancelled" first; some end in billing in an ` +
      'impossible state (cancelled in orders, still "placed" in billing)',
    correct:
      `${ORDER_COUNT} orders placed then cancelled, each order's events on one partition, and ${OUT_OF_ORDER_COUNT} more delivered "cancelled" ` +
      'first: billing holds each early one until its "placed" is applied, and ends with every order cancelled',
  },
  run: runEventOrdering,
};

async function runEventOrdering(mode: ScenarioMode, narrate: Narrator): Promise<ScenarioOutcome> {
  const env = scenarioEnvironment();
  await requireScenarioPortsFree({ orders: env.ORDERS_HTTP_PORT, billing: env.BILLING_HTTP_PORT });
  const started = performance.now();
  // ORDERS_FULFILMENT=off: this scenario counts each order's placed and cancelled events, and the
  // fulfilment saga (article 6) would add its own to the same streams.
  const serviceEnv = { FAULTLINE_WORKSHOP_MODE: 'true', ORDERS_FULFILMENT: 'off', ...eventOrderingScenario.switches[mode] };
  const kafka = new KafkaClient(
    { brokers: [`127.0.0.1:${env.KAFKA_PORT}`] },
    'scenario-event-ordering',
    createServiceLogger({ name: 'scenarios', version: '0.1.0' }, 'error'),
  );
  let identity: ScenarioIdentity | undefined;
  let orders: ServiceProcess | undefined;
  let billing: ServiceProcess | undefined;
  try {
    narrate.step(`Starting the identity provider and orders (${describe(serviceEnv, 'ORDERS_OUTBOX_PUBLISHING')}); billing stays down for now`);
    identity = await ScenarioIdentity.start();
    orders = await ServiceProcess.start({ app: 'orders', port: env.ORDERS_HTTP_PORT, env: () => serviceEnv, logName: 'scenario-orders' });
    narrate.detail(`orders ready at ${orders.url} (log: ${orders.logFile})`);
    const watcher = await kafka.watchTopic(ORDER_EVENTS_TOPIC);
    // Every order of the run is this customer's: they place and cancel them, and read billing's copies.
    const customer = await identity.newCustomer();

    narrate.step(`Placing ${ORDER_COUNT} orders through POST /orders and cancelling each through POST /orders/:id/cancel`);
    const ids = await placeAndCancelOrders(orders.url, customer, ORDER_COUNT);
    narrate.detail(`${ids.length} orders placed and cancelled: orders' truth is "cancelled" for every one`);

    const published = await awaitPublished(orders, watcher, new Set(ids));
    const partitions = partitionsPerOrder(published);
    const spread = [...partitions.values()].filter((used) => used.size > 1).length;
    narrate.detail(`orders' outbox is empty: ${published.length} events on ${ORDER_EVENTS_TOPIC}`);
    narrate.detail(`orders whose placed and cancelled went to different partitions: ${spread} of ${ids.length}`);
    narrate.detail(`events per partition: ${formatCounts(published.map((m) => `p${m.partition}`))}`);

    narrate.step(`Publishing, for ${OUT_OF_ORDER_COUNT} more orders, "cancelled" (sequence 2) BEFORE "placed" (sequence 1), keyed by order id`);
    const reorderedIds = await publishCancelledBeforePlaced(kafka, customer.customerId, OUT_OF_ORDER_COUNT);
    const reordered = await awaitSeen(watcher, new Set(reorderedIds));
    const deliveredCancelledFirst = reorderedIds.filter((id) => cancelledFirstOnOnePartition(reordered, id)).length;
    narrate.detail(`on ${ORDER_EVENTS_TOPIC}, ${deliveredCancelledFirst} of ${reorderedIds.length} of those orders have "cancelled" ahead of "placed" on one partition`);

    const backlog = await kafka.partitionProgress(ORDER_EVENTS_TOPIC, BILLING_CONSUMER);
    narrate.step(
      `Starting billing (${describe(serviceEnv, 'BILLING_CONSUMER_ORDERING')}) on a backlog of ${pending(backlog)} events; it reads them partition by partition`,
    );
    billing = await ServiceProcess.start({ app: 'billing', port: env.BILLING_HTTP_PORT, env: () => serviceEnv, logName: 'scenario-billing' });
    await awaitCaughtUp(kafka, backlog);
    narrate.detail(`billing has caught up with its backlog, ${seconds(performance.now() - started)} s into the run`);

    narrate.step("Comparing billing's copy of each order (GET /orders/:id) with the truth (cancelled)");
    const billingUrl = billing.url;
    const states = await Promise.all(ids.map((id) => billingStatus(customer.fetch, billingUrl, id)));
    const wrong = states.filter((state) => state !== 'cancelled');
    const reorderedStates = await Promise.all(reorderedIds.map((id) => billingStatus(customer.fetch, billingUrl, id)));
    const reorderedWrong = reorderedStates.filter((state) => state !== 'cancelled');
    const counters = await billingCounters(billingUrl);
    narrate.detail(`orders placed through the API — right: ${states.length - wrong.length}, wrong: ${wrong.length}${wrong.length ? ` (${formatCounts(wrong)})` : ''}`);
    narrate.detail(
      `orders delivered "cancelled" first — right: ${reorderedStates.length - reorderedWrong.length}, wrong: ${reorderedWrong.length}` +
        (reorderedWrong.length ? ` (${formatCounts(reorderedWrong)})` : ''),
    );
    narrate.detail(
      `billing's consumer (every event it read this run): applied ${counters.applied}, held early ${counters.held}, ` +
        `duplicates ${counters.duplicate}, dead-lettered ${counters.deadLettered} (handler failed: ${counters.handlerFailed})`,
    );
    // Correct mode must have exercised the guard: every early "cancelled" held, then applied in order.
    const showed =
      deliveredCancelledFirst === OUT_OF_ORDER_COUNT &&
      (mode === 'naive'
        ? wrong.length > 0 && reorderedWrong.length > 0
        : wrong.length === 0 && spread === 0 && reorderedWrong.length === 0 && counters.held >= OUT_OF_ORDER_COUNT);
    const allWrong = [...wrong, ...reorderedWrong];
    return {
      showedWhatItPromised: showed,
      measurements: {
        ordersPlacedAndCancelled: ids.length,
        ordersWrongInBilling: wrong.length,
        ordersDeliveredCancelledFirst: deliveredCancelledFirst,
        ordersDeliveredCancelledFirstWrongInBilling: reorderedWrong.length,
        wrongStates: allWrong.length ? formatCounts(allWrong) : 'none',
        ordersSpreadOverPartitions: spread,
        eventsHeldEarly: counters.held,
        eventsDeadLetteredAsHandlerFailures: counters.handlerFailed,
        durationSeconds: Number(seconds(performance.now() - started)),
      },
    };
  } finally {
    await billing?.stop();
    await orders?.stop();
    await identity?.stop();
    await kafka.disconnect();
  }
}

function formatCounts(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([value, n]) => `${value} ${n}`).join(', ');
}

function describe(env: Record<string, string>, name: string): string {
  return `${name}=${env[name]}`;
}

function seconds(ms: number): string {
  return (ms / 1_000).toFixed(1);
}

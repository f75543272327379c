import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { KafkaClient } from '@faultline/shared/messaging';
import { createServiceLogger } from '@faultline/shared/observability';
import { requireReachable } from '@faultline/shared/testing';
import type { ChaosReport, Narrate } from '../chaos-report.js';
import { ChaosServices } from './chaos-services.js';
import { CustomerSession } from './customer-session.js';
import { bringUp, componentHealthy } from './infrastructure-kills.js';
import { TERMINAL_WITHIN_MS, type KillAndRecoverProfile } from './kill-and-recover-profile.js';
import { runKillSchedule } from './kill-schedule.js';
import { OrderLoad } from './order-load.js';
import { judgeInvariants, judgeRelayTakeOver } from './run-invariants.js';
import { ORDER_EVENT_CONSUMERS, RUN_TOPICS, SystemLedgerReader, deadLetterTopicOf } from './system-ledgers.js';
import { topicEnds } from './topic-slice.js';
import { ToxiproxyLinks } from './toxiproxy-cuts.js';

/** Between two reads of the ledgers while the system catches up after the last heal. */
const CHECK_EVERY_MS = 2_000;
/**
 * How long the ledgers are read again while an invariant does not hold yet. Past the 60 s of the
 * terminal invariant, which is judged on each order's own terminal instant and so cannot pass late:
 * the consumers' counts have no deadline of their own, and after a broker restart a consumer group
 * needs its members' session timeouts before it catches up.
 */
const CHECK_WITHIN_MS = TERMINAL_WITHIN_MS + 60_000;

/**
 * Under a steady load of orders from signed-in customers, kill -9 the identity provider, each
 * service, the relay leader, the broker and the primary in turn (restarting each), cut links with
 * Toxiproxy, then check that no order, payment or event was lost, doubled or left half-done, and
 * that the relay's hand-over happened.
 */
export function killAndRecover(profile: KillAndRecoverProfile): (narrate: Narrate) => Promise<ChaosReport> {
  return async (narrate) => {
    const env = readFaultlineEnvironment();
    await requireReachable('PostgreSQL primary', Number(env.PG_PRIMARY_PORT));
    await requireReachable('Kafka', Number(env.KAFKA_PORT));
    await requireReachable('Temporal', Number(env.TEMPORAL_PORT));
    await requireReachable('Toxiproxy', Number(env.TOXIPROXY_PORT));
    const runId = randomUUID().slice(0, 8);
    const startedAt = new Date();
    const runStart = performance.now();
    narrate(`run ${runId}: ${profile.orders} orders at ${profile.ordersPerSecond}/s from ${profile.clients} clients; starting the services`);
    const services = await ChaosServices.start({ runId, startedAt, customers: profile.clients });
    const links = new ToxiproxyLinks(runId);
    const kafka = new KafkaClient({ brokers: [`127.0.0.1:${env.KAFKA_PORT ?? ''}`] }, `chaos-${runId}`, createServiceLogger({ name: 'chaos', version: '0.1.0' }, 'error'));
    let reader: SystemLedgerReader | undefined;
    let runningLoad: OrderLoad | undefined;
    try {
      // The consumers create their dead-letter topics in the background; creating them here (same
      // spec) lets the run note where every topic it reads back ended before the first order.
      await kafka.ensureTopics(ORDER_EVENT_CONSUMERS.map(({ consumer }) => ({ topic: deadLetterTopicOf(consumer), numPartitions: 1 })));
      const topicStarts = await topicEnds(kafka, RUN_TOPICS);
      await requireTokensEnforced(services.url('orders-a'));
      const customers = await signUpCustomers(services.issuer, profile.clients);
      narrate(`${customers.length} customers signed up and signed in at the identity provider (${services.issuer})`);
      const load = new OrderLoad({
        ...profile,
        customers,
        ordersUrls: () => {
          const running = (['orders-a', 'orders-b'] as const).filter((name) => services.running(name)).map((name) => services.url(name));
          return running.length > 0 ? running : services.ordersUrls;
        },
      });
      narrate(`services ready in ${((performance.now() - runStart) / 1000).toFixed(1)} s; load starts`);
      runningLoad = load;
      const loading = load.run();
      loading.catch(() => undefined);
      const recoveries: Record<string, number> = {};
      const schedule = await runKillSchedule({ profile, services, links, narrate, accepted: () => load.accepted.length, recoveries });
      const lastHealAt = Date.now();
      narrate(`last fault healed; ${load.accepted.length} orders accepted so far, waiting for the load to finish`);
      await loading;
      // The clock for "terminal within 60 s" starts at the later of the last heal and the last order.
      const healedAt = Math.max(lastHealAt, ...load.accepted.map((order) => order.acceptedAt));
      narrate(`all ${load.accepted.length} orders accepted (${load.retries} retried requests); checking the ledgers for up to ${CHECK_WITHIN_MS / 1000} s`);
      reader = await SystemLedgerReader.open(services.taskQueue, kafka, topicStarts);
      const orderIds = load.accepted.map((order) => order.orderId);
      const ledgers = reader;
      // A read that fails (the overloaded Temporal dev server once answered a list with "namespace not
      // found") is read again at the next round; only the last round's failure ends the run.
      const judge = async () => {
        for (;;) {
          try {
            return judgeInvariants(load.accepted, await ledgers.read(orderIds), healedAt);
          } catch (error) {
            if (Date.now() >= healedAt + CHECK_WITHIN_MS) throw error;
            narrate(`reading the ledgers failed (${error instanceof Error ? error.message : String(error)}); reading again`);
            await sleep(CHECK_EVERY_MS);
          }
        }
      };
      let verdicts = await judge();
      while (!verdicts.invariants.every((invariant) => invariant.holds) && Date.now() < healedAt + CHECK_WITHIN_MS) {
        await sleep(CHECK_EVERY_MS);
        verdicts = await judge();
      }
      narrate(`checked ${((Date.now() - healedAt) / 1000).toFixed(1)} s after the last heal; run took ${((performance.now() - runStart) / 1000).toFixed(0)} s`);
      return {
        title: `kill-and-recover (${profile.orders} orders)`,
        invariants: [...verdicts.invariants, judgeRelayTakeOver(schedule.relayTakeOver)],
        counts: {
          ...verdicts.counts,
          'client retries': load.retries,
          'customer sign-ins': customers.reduce((sum, customer) => sum + customer.signIns, 0),
          'tokens refused (401)': load.refusedTokens,
          'failed sign-ins': load.failedSignIns,
          'most tries for one order': Math.max(0, ...load.accepted.map((order) => order.attempts)),
          ...recoveries,
          'run (s)': Math.round((performance.now() - runStart) / 1000),
        },
      };
    } finally {
      // A run that failed half-way leaves no customer retrying against stopped services.
      runningLoad?.stop();
      await links.healAll();
      // Whatever happened, the shared infrastructure is left up: `up` is idempotent and health-gated.
      for (const component of ['postgres-primary', 'postgres-replica', 'kafka'] as const) {
        if (!(await componentHealthy(component).catch(() => false))) await bringUp(component);
      }
      await reader?.close();
      await kafka.disconnect();
      await services.stopAll();
    }
  };
}

/** One customer per client of the load, each signed up and signed in before the first order. */
async function signUpCustomers(identityUrl: string, count: number): Promise<CustomerSession[]> {
  const customers: CustomerSession[] = [];
  for (let index = 0; index < count; index += 1) customers.push(await CustomerSession.signUp(identityUrl));
  await Promise.all(customers.map((customer) => customer.token()));
  return customers;
}

/** The run is about a deployment, which refuses anonymous orders: an order without a token must get 401. */
async function requireTokensEnforced(ordersUrl: string): Promise<void> {
  const response = await fetch(`${ordersUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: '{}',
    signal: AbortSignal.timeout(10_000),
  });
  await response.body?.cancel();
  if (response.status !== 401) throw new Error(`orders answered ${response.status} to an order without a token, not 401: the run's services must enforce tokens`);
}

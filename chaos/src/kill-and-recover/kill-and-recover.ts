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
import { Mailbox } from './mailbox.js';
import { OrderLoad } from './order-load.js';
import { PaidOrderCancellations } from './paid-order-cancellations.js';
import { judgeInvariants, judgeRelayTakeOver, type InvariantVerdicts } from './run-invariants.js';
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
 * How long MailDev is read again for e-mails that have not arrived, once every other invariant
 * holds: notifications sends its delivery outbox one row at a time after the events are applied, and
 * a row whose attempt failed during a fault waits its backoff (5 s, doubling) before the next one.
 */
const EMAILS_WITHIN_MS = 60_000;

/**
 * Under a steady load of orders from signed-in customers, who cancel some once they are paid, kill -9
 * the identity provider, each service, the relay leader, the broker and the primary in turn
 * (restarting each), cut links with Toxiproxy, then check that no order, payment, refund, event or
 * e-mail was lost, doubled or left half-done, and that the relay's hand-over happened.
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
    let cancellations: PaidOrderCancellations | undefined;
    try {
      // The consumers create their dead-letter topics in the background; creating them here (same
      // spec) lets the run note where every topic it reads back ended before the first order.
      await kafka.ensureTopics(ORDER_EVENT_CONSUMERS.map(({ consumer }) => ({ topic: deadLetterTopicOf(consumer), numPartitions: 1 })));
      const topicStarts = await topicEnds(kafka, RUN_TOPICS);
      await requireTokensEnforced(services.url('orders-a'));
      const customers = await signUpCustomers(services.issuer, profile.clients);
      narrate(`${customers.length} customers signed up and signed in at the identity provider (${services.issuer})`);
      await Promise.all(customers.map((customer) => customer.setContactPreferences(services.url('notifications'))));
      const addresses = new Set(customers.map((customer) => customer.emailAddress));
      narrate(`their e-mail goes to ${[...addresses][0] ?? ''} and the like (contact preferences, no quiet hours)`);
      const ordersUrls = () => {
        const running = (['orders-a', 'orders-b'] as const).filter((name) => services.running(name)).map((name) => services.url(name));
        return running.length > 0 ? running : services.ordersUrls;
      };
      const refunds = new PaidOrderCancellations(ordersUrls);
      cancellations = refunds;
      const load = new OrderLoad({ ...profile, customers, ordersUrls, onAccepted: (order, customer) => refunds.watch(order, customer) });
      narrate(`services ready in ${((performance.now() - runStart) / 1000).toFixed(1)} s; load starts`);
      runningLoad = load;
      const loading = load.run();
      loading.catch(() => undefined);
      const recoveries: Record<string, number> = {};
      const schedule = await runKillSchedule({ profile, services, links, narrate, accepted: () => load.accepted.length, recoveries });
      const lastHealAt = Date.now();
      narrate(`last fault healed; ${load.accepted.length} orders accepted so far, waiting for the load to finish`);
      await loading;
      narrate(`all ${load.accepted.length} orders accepted; waiting for the ${refunds.chosen.length} chosen for cancellation to be paid and cancelled`);
      await refunds.settle(TERMINAL_WITHIN_MS);
      // The clock for "terminal within 60 s" starts at the later of the last heal, the last order and the last cancellation.
      const healedAt = Math.max(lastHealAt, ...load.accepted.map((order) => order.acceptedAt), ...refunds.cancelled.values());
      narrate(
        `${refunds.cancelled.size} paid orders cancelled (${refunds.notCancelled.size} not); ${load.retries + refunds.retries} retried requests; ` +
          `checking the ledgers for up to ${CHECK_WITHIN_MS / 1000} s, the e-mails for up to ${EMAILS_WITHIN_MS / 1000} s after the rest holds`,
      );
      reader = await SystemLedgerReader.open(services.taskQueue, kafka, topicStarts, new Mailbox());
      const orderIds = load.accepted.map((order) => order.orderId);
      const ledgers = reader;
      const suiteCancellations = { chosen: refunds.chosen, cancelled: new Set(refunds.cancelled.keys()), notCancelled: refunds.notCancelled };
      // A read that fails (the overloaded Temporal dev server once answered a list with "namespace not
      // found") is read again at the next round; only a failure past every bound ends the run.
      const judge = async () => {
        for (;;) {
          try {
            return judgeInvariants(load.accepted, await ledgers.read(orderIds, addresses), healedAt, suiteCancellations);
          } catch (error) {
            if (Date.now() >= healedAt + CHECK_WITHIN_MS + EMAILS_WITHIN_MS) throw error;
            narrate(`reading the ledgers failed (${error instanceof Error ? error.message : String(error)}); reading again`);
            await sleep(CHECK_EVERY_MS);
          }
        }
      };
      let verdicts = await judge();
      let settledAt: number | undefined;
      while (!verdicts.invariants.every((invariant) => invariant.holds)) {
        const now = Date.now();
        // Once only e-mails are missing, the e-mails get EMAILS_WITHIN_MS from that moment (the system settled).
        settledAt = onlyEmailsPending(verdicts) ? (settledAt ?? now) : undefined;
        const until = Math.max(healedAt + CHECK_WITHIN_MS, settledAt === undefined ? 0 : settledAt + EMAILS_WITHIN_MS);
        if (now >= until) break;
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
          'cancellation retries': refunds.retries,
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
      cancellations?.stop();
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

/** Whether every invariant that does not hold is one over the e-mails, which arrive after the rest. */
function onlyEmailsPending(verdicts: InvariantVerdicts): boolean {
  return verdicts.invariants.every((invariant) => invariant.holds || verdicts.emailInvariants.includes(invariant.name));
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

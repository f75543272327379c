import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { ORDER_AGGREGATE, ORDER_EVENTS_TOPIC, ORDER_PLACED, type EventEnvelope } from '@faultline/shared/contracts';
import { DEAD_LETTER_HEADERS, DeadLetterLedger, KafkaClient } from '@faultline/shared/messaging';
import { createServiceLogger } from '@faultline/shared/observability';
import { eventually } from '@faultline/shared/testing';
import { scenarioEnvironment, type ScenarioEnvironment } from '../environment.js';
import { scrapeMetric } from '../event-ordering/scrape-metric.js';
import type { Narrator, Scenario, ScenarioMode, ScenarioOutcome } from '../scenario.js';
import { ServiceProcess, requirePortFree } from '@faultline/shared/testing';
import { BillingDatabaseLink } from './billing-database-link.js';
import { asCustomer, startStandInIssuer, stopStandInIssuer } from '../stand-in-issuer.js';

/** Billing's consumer of order events, its group, and so its dead-letter topic (apps/billing/src/config.ts). */
const BILLING_CONSUMER = 'billing-orders';
/**
 * Short retry topics so the run takes seconds: 3 attempts in process, then 1 s and 2 s. The short
 * outage (1.5 s) ends inside them; the long one (8 s) outlasts them all.
 */
const RETRY_DELAYS_MS = '1000,2000';
const SHORT_OUTAGE_MS = 1_500;
/**
 * Naive mode has no dead letter to wait for, so its long outage lasts this long; in correct mode it
 * lasts until the record is dead-lettered (about 5 s of retries), at most LONG_OUTAGE_MAX_MS.
 */
const LONG_OUTAGE_MS = 8_000;
const LONG_OUTAGE_MAX_MS = 30_000;
const CAUGHT_UP_TIMEOUT_MS = 30_000;
/** Billing checks its dead letters every 10 s (DeadLetterCare): the automatic redrive comes within that. */
const REDRIVE_TIMEOUT_MS = 30_000;

/** The pitfall switch per mode (DESIGN §6); billing runs in workshop mode either way. */
const FAILURES: Record<ScenarioMode, string> = { naive: 'naive', correct: 'policy' };

/**
 * Article 3 — the dead-letter queue. Billing runs as a real process; the scenario publishes order
 * events itself and injects three failures: a poison record, a short and a long database outage
 * (billing's Toxiproxy link cut). Naive: whatever fails is skipped — three orders silently missing
 * from billing, nothing in a dead-letter topic, no metric to alert on. Correct: the poison is
 * dead-lettered after one attempt with its context and the partition goes on at once; the short
 * outage is ridden out by retries; the long one is dead-lettered as retryable and redriven by itself
 * when the database is back, applied exactly once.
 */
export const deadLetterScenario: Scenario = {
  name: 'dead-letter',
  article: 3,
  title: 'Dead-letter queue — failed messages dropped, or kept and redriven',
  promise: {
    naive: 'a poison record and two database outages: the failed records are skipped, their orders missing in billing with no trace',
    correct: 'the poison is dead-lettered with its context, the short outage leaves no dead letter, the long one is redriven once the database is back',
  },
  run: (mode, narrate) => runDeadLetter(mode, narrate),
};

async function runDeadLetter(mode: ScenarioMode, narrate: Narrator): Promise<ScenarioOutcome> {
  const env = scenarioEnvironment();
  await requirePortFree('billing', env.BILLING_HTTP_PORT);
  const started = performance.now();
  const link = new BillingDatabaseLink();
  const kafka = new KafkaClient(
    { brokers: [`127.0.0.1:${env.KAFKA_PORT}`] },
    'scenario-dead-letter',
    createServiceLogger({ name: 'scenarios', version: '0.1.0' }, 'error'),
  );
  const producer = kafka.createOrderedProducer();
  const publish = (key: string, value: string) => producer.send(ORDER_EVENTS_TOPIC, [{ key, value }]);
  let billing: ServiceProcess | undefined;
  try {
    const serviceEnv = {
      FAULTLINE_WORKSHOP_MODE: 'true',
      BILLING_CONSUMER_RETRY_DELAYS_MS: RETRY_DELAYS_MS,
      BILLING_CONSUMER_FAILURES: FAILURES[mode],
      // Orders is not running: a stand-in issuer signs the scenario's token (article 2).
      ...(await startStandInIssuer()),
    };
    narrate.step(`Starting billing (BILLING_CONSUMER_FAILURES=${FAILURES[mode]}, retry topics after ${RETRY_DELAYS_MS} ms)`);
    billing = await ServiceProcess.start({ app: 'billing', port: env.BILLING_HTTP_PORT, env: () => serviceEnv, logName: 'scenario-billing' });
    const billingUrl = billing.url;
    const deadLetters = await kafka.watchTopic(`${BILLING_CONSUMER}.dlq`);
    const applied = (orderId: string) => billingHas(billingUrl, orderId);
    // Events other runs left on the topic would otherwise queue ahead of ours in the retry topics.
    await awaitCaughtUp(kafka);
    narrate.detail(`billing ready at ${billingUrl} and caught up with ${ORDER_EVENTS_TOPIC} (log: ${billing.logFile})`);

    narrate.step('1. A poison record (not JSON) for order P, then order P placed on the same partition');
    const poisonOrder = randomUUID();
    await publish(poisonOrder, '{"eventId": "truncated');
    await publish(poisonOrder, JSON.stringify(placed(poisonOrder)));
    const poisonLetter = await deadLetters.waitFor((m) => m.key === poisonOrder, 5_000).catch(() => undefined);
    const nextStarted = performance.now();
    const nextApplied = await eventually(() => applied(poisonOrder), { timeoutMs: 5_000, intervalMs: 20, what: 'order P applied' }).catch(() => false);
    const nextAppliedMs = Math.round(performance.now() - nextStarted);
    const contextFields = poisonLetter ? Object.values(DEAD_LETTER_HEADERS).filter((name) => poisonLetter.headers[name]).length : 0;
    narrate.detail(
      poisonLetter
        ? `poison → ${BILLING_CONSUMER}.dlq after ${poisonLetter.headers[DEAD_LETTER_HEADERS.attempts]} attempt, ${contextFields} context headers ` +
            `(${poisonLetter.headers[DEAD_LETTER_HEADERS.errorClass]}, source offset ${poisonLetter.headers[DEAD_LETTER_HEADERS.sourceOffset]})`
        : 'poison → skipped: no dead letter, no record of it anywhere',
    );
    narrate.detail(`order P placed → ${nextApplied ? `applied ${nextAppliedMs} ms after the poison was dealt with` : 'not applied'}`);

    narrate.step(`2. A short outage: billing's database cut for ${SHORT_OUTAGE_MS / 1_000} s while order S is placed`);
    const shortOrder = randomUUID();
    await link.cut();
    await publish(shortOrder, JSON.stringify(placed(shortOrder)));
    await sleep(SHORT_OUTAGE_MS);
    await link.restore();
    const shortApplied = await eventually(() => applied(shortOrder), { timeoutMs: 10_000, intervalMs: 100, what: 'order S applied' }).catch(() => false);
    const shortDeadLetters = deadLetters.messages.filter((m) => m.key === shortOrder).length;
    narrate.detail(`order S → ${shortApplied ? 'applied' : 'MISSING in billing'}; dead letters for it: ${shortDeadLetters}`);

    narrate.step("3. A long outage: billing's database cut while order L is placed, until L has waited out every retry");
    const longOrder = randomUUID();
    const longEvent = placed(longOrder);
    await link.cut();
    await publish(longOrder, JSON.stringify(longEvent));
    const longLetter = await deadLetters
      .waitFor((m) => m.key === longOrder, mode === 'correct' ? LONG_OUTAGE_MAX_MS : LONG_OUTAGE_MS)
      .catch(() => undefined);
    narrate.detail(
      longLetter
        ? `order L → dead-lettered after ${longLetter.headers[DEAD_LETTER_HEADERS.attempts]} attempts, retryable=${longLetter.headers[DEAD_LETTER_HEADERS.retryable]}; ` +
            `billing's dead_letter_depth now ${await scrapeMetric(billingUrl, 'dead_letter_depth', { consumer: BILLING_CONSUMER }).catch(() => Number.NaN)}`
        : 'order L → no dead letter',
    );
    await link.restore();
    narrate.detail(
      mode === 'correct'
        ? 'database back; billing redrives retryable dead letters by itself once its health check passes'
        : 'database back; naive billing has nothing to redrive: the record was skipped',
    );
    const longApplied = await eventually(() => applied(longOrder), { timeoutMs: longLetter ? REDRIVE_TIMEOUT_MS : 5_000, intervalMs: 200, what: 'order L applied' }).catch(
      () => false,
    );
    const ledger = new DeadLetterLedger(kafka, `${BILLING_CONSUMER}.dlq`);
    const secondRedrive = longLetter ? await ledger.redrive(producer, { ids: [longLetter.offset] }, { perSecond: 10, by: 'scenario dead-letter' }) : [];
    await sleep(500);
    const longApplications = await inboxRows(env, longEvent.eventId);
    narrate.detail(
      `order L → ${longApplied ? 'applied' : 'MISSING in billing'}; \`npm run dlq -- redrive\` again redrove ${secondRedrive.length}; applied ${longApplications} time(s)`,
    );

    const lost = [nextApplied, shortApplied, longApplied].filter((ok) => !ok).length + (poisonLetter ? 0 : 1);
    narrate.detail(`records whose failure left no trace: ${lost}`);
    const showed =
      mode === 'naive'
        ? lost > 0 && !poisonLetter && !longLetter
        : Boolean(poisonLetter) &&
          contextFields === Object.keys(DEAD_LETTER_HEADERS).length &&
          nextApplied &&
          nextAppliedMs < 1_000 &&
          shortApplied &&
          shortDeadLetters === 0 &&
          Boolean(longLetter) &&
          longApplied &&
          longApplications === 1;
    return {
      showedWhatItPromised: showed,
      measurements: {
        poisonDeadLettered: Boolean(poisonLetter),
        poisonContextHeaders: contextFields,
        nextOffsetAppliedMs: nextApplied ? nextAppliedMs : -1,
        shortOutageApplied: shortApplied,
        shortOutageDeadLetters: shortDeadLetters,
        longOutageDeadLettered: Boolean(longLetter),
        longOutageApplied: longApplied,
        longOutageApplications: longApplications,
        failuresLostWithoutTrace: lost,
        durationSeconds: Number(((performance.now() - started) / 1_000).toFixed(1)),
      },
    };
  } finally {
    await link.restore().catch(() => undefined);
    await billing?.stop();
    await kafka.disconnect();
    await stopStandInIssuer();
  }
}

/** Waits until billing's group has committed, in every partition, up to the topic's end. */
async function awaitCaughtUp(kafka: KafkaClient): Promise<void> {
  const target = await kafka.partitionProgress(ORDER_EVENTS_TOPIC, BILLING_CONSUMER);
  const ends = new Map(target.map((p) => [p.partition, p.end]));
  await eventually(
    async () => {
      const now = await kafka.partitionProgress(ORDER_EVENTS_TOPIC, BILLING_CONSUMER);
      return now.every((p) => p.committed >= (ends.get(p.partition) ?? 0n)) ? true : undefined;
    },
    { timeoutMs: CAUGHT_UP_TIMEOUT_MS, intervalMs: 250, what: `billing's consumer ${BILLING_CONSUMER} caught up with ${ORDER_EVENTS_TOPIC}` },
  );
}

function placed(orderId: string): EventEnvelope {
  const now = new Date().toISOString();
  return {
    eventId: randomUUID(),
    type: ORDER_PLACED,
    schemaVersion: 2,
    aggregateType: ORDER_AGGREGATE,
    aggregateId: orderId,
    sequence: 1,
    occurredAt: now,
    correlationId: `scenario-dead-letter-${orderId}`,
    causationId: 'scenario-dead-letter',
    producer: { name: 'orders', version: '1.0.0' },
    payload: {
      orderId,
      customerId: randomUUID(),
      lines: [{ sku: 'tea', quantity: 1, unitPriceMinor: 500 }],
      total: { amountMinor: 500, currency: 'EUR' },
      placedAt: now,
    },
  };
}

async function billingHas(billingUrl: string, orderId: string): Promise<true | undefined> {
  const response = await asCustomer(`${billingUrl}/orders/${orderId}`).catch(() => undefined);
  return response?.status === 200 ? true : undefined;
}

/** How often billing applied the event: its inbox rows (read directly, as an observer). */
async function inboxRows(env: ScenarioEnvironment, eventId: string): Promise<number> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: env.PG_PRIMARY_PORT,
    database: env.BILLING_DB_NAME,
    user: env.BILLING_DB_USER,
    password: env.BILLING_DB_PASSWORD,
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox WHERE consumer = $1 AND event_id = $2', [BILLING_CONSUMER, eventId]);
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}


import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { SystemClock } from '@faultline/shared/clock';
import { ORDER_AGGREGATE, ORDER_EVENTS_TOPIC, ORDER_PLACED, type EventEnvelope } from '@faultline/shared/contracts';
import { DEAD_LETTER_HEADERS, DeadLetterLedger } from '@faultline/shared/dead-letter';
import {
  KafkaClient,
  type OrderedProducer,
  type PartitionProgress,
  type ReceivedMessage,
  type TopicWatcher,
} from '@faultline/shared/messaging';
import { createServiceLogger } from '@faultline/shared/observability';
import { eventually } from '@faultline/shared/testing';
import { scenarioEnvironment, type ScenarioEnvironment } from '../environment.js';
import { scrapeMetric } from '../event-ordering/scrape-metric.js';
import type { Narrator, Scenario, ScenarioMode, ScenarioOutcome } from '../scenario.js';
import { ServiceProcess, requirePortFree } from '@faultline/shared/testing';
import { BillingDatabaseLink } from './billing-database-link.js';
import { ScenarioIdentity, requireIdentityPortFree, type Customer } from '../identity.js';

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
/**
 * The bound on each event the scenario waits for (a dead letter, an order applied, an offset
 * committed): generous, so that only a run that is stuck fails. How long each took is printed; speed
 * is the bench's business, not this scenario's.
 */
const EVENT_TIMEOUT_MS = 30_000;
/** Billing checks its dead letters every 10 s (DeadLetterCare): the automatic redrive comes within that. */
const REDRIVE_TIMEOUT_MS = 60_000;
const POISON_VALUE = '{"eventId": "truncated';

/** The pitfall switch per mode (DESIGN §6); billing runs in workshop mode either way. */
const FAILURES: Record<ScenarioMode, string> = { naive: 'naive', correct: 'policy' };

/** Where a record the scenario published landed in orders.order.events. */
interface PublishedRecord {
  partition: number;
  offset: bigint;
  key: string;
  value: string;
}

/** Billing's copy of an order, as GET /orders/:id shows it (the fields the scenario compares). */
interface BillingOrderCopy {
  status: string;
  version: number;
}

/**
 * What became of a record that failed, read from the outside: `skipped` when billing's group has
 * committed past it while billing has no copy of its order and no dead letter holds it — the record
 * is gone, and nothing says so.
 */
interface RecordFate {
  skipped: boolean;
  committedPast: boolean;
  deadLetters: number;
  /** Billing's copy of the order, null when billing answers 404; absent for a record that is no order. */
  copy?: BillingOrderCopy | null;
}

/**
 * Article 3 — the dead-letter queue. Billing runs as a real process; the scenario publishes order
 * events itself and injects three failures: a poison record, a short and a long database outage
 * (billing's Toxiproxy link cut). Naive: whatever fails is skipped — billing's group commits past
 * each failed record, three orders silently missing from billing, nothing in a dead-letter topic, no
 * metric to alert on. Correct: the poison is dead-lettered after one attempt with its context and
 * the partition goes on; the short outage is ridden out by retries; the long one is dead-lettered as
 * retryable and redriven by itself when the database is back; redriving it once more delivers a
 * duplicate, which billing's inbox recognises and which changes nothing.
 */
export const deadLetterScenario: Scenario = {
  name: 'dead-letter',
  article: 3,
  title: 'Dead-letter queue — failed messages dropped, or kept and redriven',
  promise: {
    naive: 'a poison record and two database outages: billing commits past each failed record, its order missing in billing with no dead letter',
    correct:
      'the poison is dead-lettered with its context, the short outage leaves no dead letter, the long one is redriven once the database is back, and redriving it again changes nothing',
  },
  run: (mode, narrate) => runDeadLetter(mode, narrate),
};

async function runDeadLetter(mode: ScenarioMode, narrate: Narrator): Promise<ScenarioOutcome> {
  const env = scenarioEnvironment();
  await requirePortFree('billing', env.BILLING_HTTP_PORT);
  await requireIdentityPortFree();
  const started = performance.now();
  const link = new BillingDatabaseLink();
  const kafka = new KafkaClient(
    { brokers: [`127.0.0.1:${env.KAFKA_PORT}`] },
    'scenario-dead-letter',
    createServiceLogger({ name: 'scenarios', version: '0.1.0' }, 'error'),
  );
  const producer = kafka.createOrderedProducer();
  const send = (key: string, value: string) => producer.send(ORDER_EVENTS_TOPIC, [{ key, value }]);
  const ledger = new DeadLetterLedger(kafka, `${BILLING_CONSUMER}.dlq`, new SystemClock());
  let billing: ServiceProcess | undefined;
  let identity: ScenarioIdentity | undefined;
  try {
    const serviceEnv = {
      FAULTLINE_WORKSHOP_MODE: 'true',
      BILLING_CONSUMER_RETRY_DELAYS_MS: RETRY_DELAYS_MS,
      BILLING_CONSUMER_FAILURES: FAILURES[mode],
    };
    narrate.step(`Starting the identity provider and billing (BILLING_CONSUMER_FAILURES=${FAILURES[mode]}, retry topics after ${RETRY_DELAYS_MS} ms)`);
    identity = await ScenarioIdentity.start();
    billing = await ServiceProcess.start({ app: 'billing', port: env.BILLING_HTTP_PORT, env: () => serviceEnv, logName: 'scenario-billing' });
    // Every order the scenario publishes is this customer's: their token reads billing's copies.
    const customer = await identity.newCustomer();
    const billingUrl = billing.url;
    const placed = (orderId: string) => orderPlaced(orderId, customer.customerId);
    const applied = (orderId: string) => billingHas(customer, billingUrl, orderId);
    const deadLetters = await kafka.watchTopic(ledger.topic);
    // Tells the scenario where each of its records landed (partition and offset), to check later
    // whether billing's group committed past it.
    const published = await kafka.watchTopic(ORDER_EVENTS_TOPIC);
    const fateOf = (record: PublishedRecord, orderId?: string) => recordFate(kafka, ledger, customer, billingUrl, record, orderId);
    // Events other runs left on the topic would otherwise queue ahead of ours in the retry topics.
    await awaitCommitted(kafka, ORDER_EVENTS_TOPIC, await kafka.partitionProgress(ORDER_EVENTS_TOPIC, BILLING_CONSUMER));
    narrate.detail(`billing ready at ${billingUrl} and caught up with ${ORDER_EVENTS_TOPIC} (log: ${billing.logFile})`);

    narrate.step('1. A poison record (not JSON) for order P, then order P placed on the same partition');
    const poisonOrder = randomUUID();
    const poisonStarted = performance.now();
    await send(poisonOrder, POISON_VALUE);
    await send(poisonOrder, JSON.stringify(placed(poisonOrder)));
    const poisonRecord = await landed(published, poisonOrder, POISON_VALUE);
    const poisonLetter =
      mode === 'correct' ? await deadLetters.waitFor((m) => m.key === poisonOrder, EVENT_TIMEOUT_MS).catch(() => undefined) : undefined;
    const poisonLetterMs = Math.round(performance.now() - poisonStarted);
    // Order P comes after the poison in the partition: once it is applied, the partition went on.
    const nextApplied = await eventually(() => applied(poisonOrder), { timeoutMs: EVENT_TIMEOUT_MS, intervalMs: 20, what: 'order P applied' }).catch(() => false);
    const nextAppliedMs = Math.round(performance.now() - poisonStarted);
    const poisonFate = await fateOf(poisonRecord);
    const contextFields = poisonLetter ? Object.values(DEAD_LETTER_HEADERS).filter((name) => poisonLetter.headers[name]).length : 0;
    narrate.detail(
      poisonLetter
        ? `poison → ${ledger.topic} after ${poisonLetter.headers[DEAD_LETTER_HEADERS.attempts]} attempt (${poisonLetterMs} ms), ${contextFields} context headers ` +
            `(${poisonLetter.headers[DEAD_LETTER_HEADERS.errorClass]}, source offset ${poisonLetter.headers[DEAD_LETTER_HEADERS.sourceOffset]})`
        : `poison → ${describeFate(poisonRecord, poisonFate)}`,
    );
    narrate.detail(`order P placed → ${nextApplied ? `applied ${nextAppliedMs} ms after the poison was published` : 'not applied'}`);

    narrate.step(`2. A short outage: billing's database cut for ${SHORT_OUTAGE_MS / 1_000} s while order S is placed`);
    const shortOrder = randomUUID();
    const shortValue = JSON.stringify(placed(shortOrder));
    await link.cut();
    await send(shortOrder, shortValue);
    await sleep(SHORT_OUTAGE_MS);
    await link.restore();
    const shortApplied =
      mode === 'correct' ? await eventually(() => applied(shortOrder), { timeoutMs: EVENT_TIMEOUT_MS, intervalMs: 100, what: 'order S applied' }).catch(() => false) : false;
    const shortRecord = await landed(published, shortOrder, shortValue);
    const shortFate = await fateOf(shortRecord, shortOrder);
    narrate.detail(`order S → ${shortApplied ? `applied; dead letters for it: ${shortFate.deadLetters}` : describeFate(shortRecord, shortFate)}`);

    narrate.step("3. A long outage: billing's database cut while order L is placed, until L has waited out every retry");
    const longOrder = randomUUID();
    const longEvent = placed(longOrder);
    const longValue = JSON.stringify(longEvent);
    await link.cut();
    await send(longOrder, longValue);
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
        : 'database back; naive billing has nothing to redrive',
    );
    const longRestored = performance.now();
    const longApplied = longLetter
      ? await eventually(() => applied(longOrder), { timeoutMs: REDRIVE_TIMEOUT_MS, intervalMs: 200, what: 'order L applied' }).catch(() => false)
      : false;
    const longAppliedMs = Math.round(performance.now() - longRestored);
    const longRecord = await landed(published, longOrder, longValue);
    const longFate = await fateOf(longRecord, longOrder);
    narrate.detail(`order L → ${longApplied ? `applied ${longAppliedMs} ms after the database came back` : describeFate(longRecord, longFate)}`);

    let redelivery: Redelivery | undefined;
    if (longLetter && longApplied) {
      narrate.step(
        `4. An operator redrives L once more, already redriven letters included (\`npm run dlq -- redrive --consumer ${BILLING_CONSUMER} --id ${longLetter.offset} --all\`)`,
      );
      redelivery = await redeliver(kafka, ledger, producer, customer, billingUrl, longLetter, longOrder);
      narrate.detail(
        `sent ${redelivery.sent} record(s) to ${ledger.redriveTopic}; billing's group committed past it ` +
          `${redelivery.consumed ? `after ${redelivery.consumedMs} ms` : `— NOT within ${EVENT_TIMEOUT_MS} ms`}`,
      );
      narrate.detail(
        `consumer_events_total{consumer="${BILLING_CONSUMER}",outcome="duplicate"}: ${redelivery.duplicatesBefore} → ${redelivery.duplicatesAfter}; ` +
          `billing's copy of L: ${describeCopy(redelivery.copyBefore)} → ${describeCopy(redelivery.copyAfter)}; ` +
          `inbox rows for its event: ${await inboxRows(env, longEvent.eventId).catch(() => Number.NaN)}`,
      );
    }

    const lost = [poisonFate, shortFate, longFate].filter((fate) => fate.skipped).length;
    narrate.detail(`records whose failure left no trace: ${lost}`);
    const duplicatesCounted = redelivery ? redelivery.duplicatesAfter - redelivery.duplicatesBefore : 0;
    const copyUnchanged =
      redelivery !== undefined &&
      redelivery.copyBefore != null &&
      redelivery.copyAfter != null &&
      redelivery.copyAfter.version === redelivery.copyBefore.version &&
      redelivery.copyAfter.status === redelivery.copyBefore.status;
    const showed =
      mode === 'naive'
        ? poisonFate.skipped && shortFate.skipped && longFate.skipped
        : Boolean(poisonLetter) &&
          contextFields === Object.keys(DEAD_LETTER_HEADERS).length &&
          nextApplied &&
          shortApplied &&
          shortFate.deadLetters === 0 &&
          Boolean(longLetter) &&
          longApplied &&
          redelivery !== undefined &&
          redelivery.sent === 1 &&
          redelivery.consumed &&
          duplicatesCounted >= 1 &&
          copyUnchanged &&
          lost === 0;
    return {
      showedWhatItPromised: showed,
      measurements: {
        poisonDeadLettered: Boolean(poisonLetter) || poisonFate.deadLetters > 0,
        poisonContextHeaders: contextFields,
        poisonSkipped: poisonFate.skipped,
        nextOffsetApplied: nextApplied,
        nextOffsetAppliedMs: nextApplied ? nextAppliedMs : -1,
        shortOutageApplied: shortApplied || Boolean(shortFate.copy),
        shortOutageDeadLetters: shortFate.deadLetters,
        shortOutageSkipped: shortFate.skipped,
        longOutageDeadLettered: Boolean(longLetter) || longFate.deadLetters > 0,
        longOutageApplied: longApplied || Boolean(longFate.copy),
        longOutageSkipped: longFate.skipped,
        redeliveryConsumed: redelivery?.consumed ?? false,
        redeliveryDuplicatesCounted: duplicatesCounted,
        redeliveryLeftCopyUnchanged: copyUnchanged,
        failuresLostWithoutTrace: lost,
        durationSeconds: Number(((performance.now() - started) / 1_000).toFixed(1)),
      },
    };
  } finally {
    await link.restore().catch(() => undefined);
    await billing?.stop();
    await kafka.disconnect();
    await identity?.stop();
  }
}

/** What a second redrive of an already applied dead letter did, seen from billing. */
interface Redelivery {
  sent: number;
  consumed: boolean;
  consumedMs: number;
  duplicatesBefore: number;
  duplicatesAfter: number;
  copyBefore: BillingOrderCopy | null | undefined;
  copyAfter: BillingOrderCopy | null | undefined;
}

/**
 * Redrives the already redriven dead letter of order L again, as an operator re-running a redrive
 * with `--all` would, and waits until billing's group has committed past it in the redrive topic.
 * Billing's inbox must recognise the event: the duplicate counter rises and its copy of L stays as
 * it was.
 */
async function redeliver(
  kafka: KafkaClient,
  ledger: DeadLetterLedger,
  producer: OrderedProducer,
  customer: Customer,
  billingUrl: string,
  letter: ReceivedMessage,
  orderId: string,
): Promise<Redelivery> {
  const duplicates = () => scrapeMetric(billingUrl, 'consumer_events_total', { consumer: BILLING_CONSUMER, outcome: 'duplicate' });
  const duplicatesBefore = await duplicates();
  const copyBefore = await billingCopy(customer, billingUrl, orderId).catch(() => undefined);
  const sent = await ledger.redrive(producer, { ids: [letter.offset], includeResolved: true }, { perSecond: 10, by: 'scenario dead-letter' });
  // Taken right after the send, so the redriven record is below each partition's end.
  const sentUpTo = await kafka.partitionProgress(ledger.redriveTopic, BILLING_CONSUMER);
  const sentAt = performance.now();
  const consumed = await awaitCommitted(kafka, ledger.redriveTopic, sentUpTo).then(
    () => true,
    () => false,
  );
  const consumedMs = Math.round(performance.now() - sentAt);
  return {
    sent: sent.length,
    consumed,
    consumedMs,
    duplicatesBefore,
    duplicatesAfter: await duplicates(),
    copyBefore,
    copyAfter: await billingCopy(customer, billingUrl, orderId).catch(() => undefined),
  };
}

/** The partition and offset the record got in orders.order.events, as the scenario's watcher read it. */
async function landed(published: TopicWatcher, key: string, value: string): Promise<PublishedRecord> {
  const record = await published.waitFor((m) => m.key === key && m.value === value, EVENT_TIMEOUT_MS);
  return { partition: record.partition, offset: BigInt(record.offset), key, value };
}

/**
 * Waits until billing's group has committed, in the given partitions of `topic`, at least up to each
 * `end` (exclusive: the next offset to read), i.e. past every record below it.
 */
async function awaitCommitted(kafka: KafkaClient, topic: string, upTo: readonly Pick<PartitionProgress, 'partition' | 'end'>[]): Promise<void> {
  const ends = new Map(upTo.map((p) => [p.partition, p.end]));
  await eventually(
    async () => {
      const now = await kafka.partitionProgress(topic, BILLING_CONSUMER);
      return now.every((p) => p.committed >= (ends.get(p.partition) ?? 0n)) ? true : undefined;
    },
    { timeoutMs: EVENT_TIMEOUT_MS, intervalMs: 250, what: `billing's consumer ${BILLING_CONSUMER} committed up to ${[...ends].map(([p, end]) => `${topic}[${p}]@${end}`).join(', ')}` },
  );
}

/**
 * Reads what became of a failed record: whether billing's group committed past it, how many dead
 * letters hold it (the dead-letter topic read to its end: billing writes a dead letter before it
 * commits past the record), and, for an order, billing's copy of it.
 */
async function recordFate(
  kafka: KafkaClient,
  ledger: DeadLetterLedger,
  customer: Customer,
  billingUrl: string,
  record: PublishedRecord,
  orderId?: string,
): Promise<RecordFate> {
  const committedPast = await awaitCommitted(kafka, ORDER_EVENTS_TOPIC, [{ partition: record.partition, end: record.offset + 1n }]).then(
    () => true,
    () => false,
  );
  const deadLetters = (await ledger.list({ includeResolved: true })).filter(
    (letter) =>
      (letter.source.topic === ORDER_EVENTS_TOPIC && letter.source.partition === record.partition && letter.source.offset === String(record.offset)) ||
      (letter.key === record.key && letter.value === record.value),
  ).length;
  if (orderId === undefined) return { skipped: committedPast && deadLetters === 0, committedPast, deadLetters };
  const copy = await billingCopy(customer, billingUrl, orderId).catch(() => undefined);
  return { skipped: committedPast && deadLetters === 0 && copy === null, committedPast, deadLetters, ...(copy !== undefined && { copy }) };
}

function describeFate(record: PublishedRecord, fate: RecordFate): string {
  const where = `${ORDER_EVENTS_TOPIC}[${record.partition}]@${record.offset}`;
  const committed = fate.committedPast ? `billing's group committed past ${where}` : `billing's group has NOT committed past ${where}`;
  const copy = fate.copy === undefined ? '' : fate.copy === null ? ', billing has no copy of the order' : `, billing has the order (${describeCopy(fate.copy)})`;
  return `${fate.skipped ? 'skipped: ' : ''}${committed}${copy}, dead letters for it: ${fate.deadLetters}`;
}

function describeCopy(copy: BillingOrderCopy | null | undefined): string {
  if (copy === undefined) return 'unreadable';
  return copy === null ? 'none' : `${copy.status} v${copy.version}`;
}

function orderPlaced(orderId: string, customerId: string): EventEnvelope {
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
      customerId,
      lines: [{ sku: 'tea', quantity: 1, unitPriceMinor: 500 }],
      total: { amountMinor: 500, currency: 'EUR' },
      placedAt: now,
    },
  };
}

async function billingHas(customer: Customer, billingUrl: string, orderId: string): Promise<true | undefined> {
  const response = await customer.fetch(`${billingUrl}/orders/${orderId}`).catch(() => undefined);
  return response?.status === 200 ? true : undefined;
}

/**
 * Billing's copy of an order (GET /orders/:id), null when billing answers 404. Asked again while
 * billing cannot say either way (a 5xx while its pool reconnects after the outage).
 */
async function billingCopy(customer: Customer, billingUrl: string, orderId: string): Promise<BillingOrderCopy | null> {
  return eventually(
    async () => {
      const response = await customer.fetch(`${billingUrl}/orders/${orderId}`);
      if (response.status === 404) return null;
      if (response.status !== 200) return undefined;
      const { status, version } = (await response.json()) as BillingOrderCopy;
      return { status, version };
    },
    { timeoutMs: EVENT_TIMEOUT_MS, intervalMs: 200, what: `billing answering 200 or 404 for order ${orderId}` },
  );
}

/** Billing's inbox rows for the event, read directly as an observer (its primary key allows one). */
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

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SystemClock } from '@faultline/shared/clock';
import { ORDER_EVENTS_TOPIC } from '@faultline/shared/contracts';
import { DEAD_LETTER_HEADERS, DeadLetterLedger } from '@faultline/shared/dead-letter';
import { KafkaClient } from '@faultline/shared/messaging';
import { createServiceLogger } from '@faultline/shared/observability';
import { OrderEventStream, ServiceProcess, eventually } from '@faultline/shared/testing';
import { ToxiproxyLink } from '@faultline/shared/toxiproxy';
import { scenarioEnvironment } from '../environment.js';
import { requireScenarioPortsFree } from '../free-ports.js';
import { scrapeMetric } from '../event-ordering/scrape-metric.js';
import { ScenarioIdentity } from '../identity.js';
import type { Narrator, Scenario, ScenarioMode, ScenarioOutcome } from '../scenario.js';
import { BILLING_CONSUMER, EVENT_TIMEOUT_MS, billingHas, describeCopy, inboxRows } from './billing-readings.js';
import { awaitCommitted, describeFate, landed, recordFate, type PublishedRecord } from './record-fate.js';
import { redeliver, type Redelivery } from './second-redrive.js';

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
/** Billing checks its dead letters every 10 s (DeadLetterCare): the automatic redrive comes within that. */
const REDRIVE_TIMEOUT_MS = 60_000;
const POISON_VALUE = '{"eventId": "truncated';

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
  switches: { naive: { BILLING_CONSUMER_FAILURES: 'naive' }, correct: { BILLING_CONSUMER_FAILURES: 'policy' } },
  promise: {
    naive: 'a poison record and two database outages: billing commits past each failed record, its order missing in billing with no dead letter',
    correct:
      'the poison is dead-lettered with its context, the short outage leaves no dead letter, the long one is redriven once the database is back, and redriving it again changes nothing',
  },
  run: runDeadLetter,
};

async function runDeadLetter(mode: ScenarioMode, narrate: Narrator): Promise<ScenarioOutcome> {
  const env = scenarioEnvironment();
  await requireScenarioPortsFree({ billing: env.BILLING_HTTP_PORT });
  const started = performance.now();
  // Billing's database connection through Toxiproxy: cut, billing's pool loses its connections and
  // new ones are refused until the link is back, as in an outage.
  const link = new ToxiproxyLink({ proxy: 'billing-postgres', configFor: 'scenarios' });
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
    const serviceEnv: Record<string, string> = {
      FAULTLINE_WORKSHOP_MODE: 'true',
      BILLING_CONSUMER_RETRY_DELAYS_MS: RETRY_DELAYS_MS,
      ...deadLetterScenario.switches[mode],
    };
    narrate.step(`Starting the identity provider and billing (BILLING_CONSUMER_FAILURES=${serviceEnv.BILLING_CONSUMER_FAILURES}, retry topics after ${RETRY_DELAYS_MS} ms)`);
    identity = await ScenarioIdentity.start();
    billing = await ServiceProcess.start({ app: 'billing', port: env.BILLING_HTTP_PORT, env: () => serviceEnv, logName: 'scenario-billing' });
    // Every order the scenario publishes is this customer's: their token reads billing's copies.
    const customer = await identity.newCustomer();
    const billingUrl = billing.url;
    const placed = (orderId: string) =>
      new OrderEventStream({
        orderId,
        customerId: customer.customerId,
        total: { amountMinor: 500, currency: 'EUR' },
        correlationId: `scenario-dead-letter-${orderId}`,
        causationId: 'scenario-dead-letter',
      }).placed(new Date().toISOString());
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

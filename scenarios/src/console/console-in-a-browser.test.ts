// The workshop console in a real browser (Debian's Chromium, driven by Playwright), on the real
// system: the identity provider, orders (its saga on Temporal), billing, notifications and the
// payment provider run as processes, traced to Jaeger; the console's backend reads Kafka in a
// consumer group of its own, Temporal's history, the provider's and MailDev's APIs, and each
// service's /ready. The page must show what is true right now: every service ready, an order
// placed through orders' API appearing in the event flow without a reload, its timeline (events,
// saga, payment, e-mails, trace) reaching "paid", a consumer group that stopped before the order
// behind by exactly what was written since, a Toxiproxy link cut from the page of a workshop-mode
// console (and the service behind it not ready) then healed, the read-only console refusing it, the
// provider's decline switched on from the page rejecting the next order, an event billing could not
// store while its database was cut listed as a dead letter and redriven from the page, the replica's
// replay paused from the page sending billing's reads to the primary, and billing going down when it
// stops.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { z } from 'zod';
import { pino } from 'pino';
import { launchChromium } from '@faultline/shared/browser';
import { SystemClock } from '@faultline/shared/clock';
import { ReplicaReplayControl, SERVED_BY_HEADER } from '@faultline/shared/consistency';
import { loadConfig, port } from '@faultline/shared/config';
import { ORDER_EVENTS_TOPIC, ORDER_PAID, ORDER_PLACED, ORDER_REJECTED } from '@faultline/shared/contracts';
import { DeadLetterLedger } from '@faultline/shared/dead-letter';
import { KafkaClient } from '@faultline/shared/messaging';
import { OrderEventStream, ServiceProcess, eventually, requireReachable, workspaceRoot } from '@faultline/shared/testing';
import { ToxiproxyLink } from '@faultline/shared/toxiproxy';
import { BILLING_CONSUMER, billingCopy, billingHas } from '../dead-letter/billing-readings.js';
import type { Customer } from '../identity.js';
import { startTracedSystem, systemPorts, type TracedSystem } from '../traced-system.js';

const env = {
  ...systemPorts(),
  ...loadConfig('scenarios', z.object({ KAFKA_PORT: port(), PG_REPLICA_PORT: port(), PG_SUPERUSER: z.string().min(1), PG_SUPERUSER_PASSWORD: z.string().min(1) })),
};

/** The page asks /api/topology every 2 s and the console's own probe waits 1.5 s at most. */
const TOPOLOGY_SETTLES_MS = 10_000;
/** From POST /orders to the row on the page: the outbox relay, Kafka, the console's fetch, a 250 ms batch. */
const EVENT_REACHES_PAGE_MS = 20_000;
/** From the order to its timeline showing it paid, with its e-mails: the saga's steps on a busy 2-core machine. */
const PAID_ON_PAGE_MS = 60_000;

/**
 * Billing's retry topics wait 0.5 s then 1 s here (after its 3 attempts in process): an event it
 * cannot store is dead-lettered within seconds. Without the automatic redrive, the dead letter waits
 * for the page's button once the database is back. A replica 1 s behind sends every read to the
 * primary (the service default is 5 s), so the paused replica shows at once. In workshop mode,
 * billing's clock can be skewed from the page.
 */
const BILLING_FOR_THE_PAGE = {
  BILLING_CONSUMER_RETRY_DELAYS_MS: '500,1000',
  BILLING_CONSUMER_AUTO_REDRIVE: 'false',
  BILLING_REPLICA_MAX_LAG_SECONDS: '1',
  // Its clock switch (PUT /admin/clock) exists only in workshop mode: the page skews billing alone.
  FAULTLINE_WORKSHOP_MODE: 'true',
};
/** From the event to its dead letter on the page: the retries above, billing's reporting (every 10 s), the page's poll. */
const DEAD_LETTER_ON_PAGE_MS = 45_000;

/** One circuit-breaker run (each mode takes under a minute here), with room for a busy machine. */
const SCENARIO_RUN_MS = 180_000;

/** The page's screenshots: under .faultline always; into docs/images too when asked (FAULTLINE_UPDATE_SCREENSHOTS=true). */
async function keepScreenshot(page: Page, name: string): Promise<void> {
  const folder = join(workspaceRoot(), '.faultline', 'screenshots');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, name);
  await page.screenshot({ path: file, fullPage: true });
  if (process.env.FAULTLINE_UPDATE_SCREENSHOTS === 'true') copyFileSync(file, join(workspaceRoot(), 'docs', 'images', name));
}

describe('the workshop console in a browser', () => {
  const consoles: ServiceProcess[] = [];
  let system: TracedSystem | undefined;
  let consoleBackend: ServiceProcess | undefined;
  let browser: Browser | undefined;
  let kafkaAdmin: Admin | undefined;
  /** Publishes the event billing cannot store, and reads its dead letter's resolution back. */
  const kafka = new KafkaClient({ brokers: [`127.0.0.1:${env.KAFKA_PORT}`] }, 'console-test', pino({ level: 'error' }));
  const pageErrors: string[] = [];
  /** A consumer group of the test's own, committed at the topic's end before the order and never consuming. */
  const stoppedGroup = `console-test-stopped-${randomUUID()}`;

  before(async () => {
    await requireReachable('Kafka', env.KAFKA_PORT);
    kafkaAdmin = new Kafka({ clientId: 'console-test', brokers: [`127.0.0.1:${env.KAFKA_PORT}`], logLevel: logLevel.NOTHING }).admin();
    await kafkaAdmin.connect();
    browser = await launchChromium();
    // Traced, as the console links each order to its trace.
    system = await startTracedSystem('console', { billing: BILLING_FOR_THE_PAGE });
    consoleBackend = await ServiceProcess.start({ app: 'console', port: 'free', env: (free) => ({ CONSOLE_HTTP_PORT: String(free) }), logName: 'console' });
    consoles.push(consoleBackend);
  });

  after(async () => {
    await browser?.close();
    await Promise.allSettled(consoles.map((service) => service.stop()));
    await system?.stop();
    await kafkaAdmin?.deleteGroups([stoppedGroup]).catch(() => undefined);
    await kafkaAdmin?.disconnect();
    await kafka.disconnect();
  });

  it("shows every service ready, an order's event as it is published, its timeline reaching paid, a group that falls behind, and a service that stops", async () => {
    assert.ok(browser && system && consoleBackend && kafkaAdmin, 'the browser, Kafka or a service did not start');
    const { identity, orders, billing } = system;
    const customer = await identity.newCustomer();
    await giveContactPreferences(customer);
    const ends = await kafkaAdmin.fetchTopicOffsets(ORDER_EVENTS_TOPIC);
    await kafkaAdmin.setOffsets({ groupId: stoppedGroup, topic: ORDER_EVENTS_TOPIC, partitions: ends.map(({ partition, high }) => ({ partition, offset: high })) });

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(consoleBackend.url);
    for (const service of ['identity', 'orders', 'billing', 'notifications', 'payment-provider']) {
      await page.locator(`[data-testid="service-${service}"][data-state="ready"]`).waitFor({ timeout: TOPOLOGY_SETTLES_MS });
    }
    for (const part of ['postgres-primary', 'postgres-replica', 'kafka', 'temporal', 'maildev', 'jaeger', 'toxiproxy']) {
      await page.locator(`[data-testid="part-${part}"][data-state="up"]`).waitFor({ timeout: TOPOLOGY_SETTLES_MS });
    }
    assert.match(await page.getByTestId('mode').innerText(), /^read-only/);
    // The console reads the orders topic (fetched once, so its start offsets are fixed) before the order is placed.
    await page.getByTestId('flow-status').filter({ hasText: 'reading orders.order.events' }).waitFor({ timeout: TOPOLOGY_SETTLES_MS });

    const orderId = await placeOrder(orders.url, customer);
    const placedRow = page.locator(`tr[data-aggregate-id="${orderId}"][data-type="${ORDER_PLACED}"]`);
    // The first event after the services started: their producers connect and their groups settle
    // first, which on a busy machine has taken past EVENT_REACHES_PAGE_MS.
    await placedRow.waitFor({ timeout: PAID_ON_PAGE_MS });
    assert.match(await placedRow.innerText(), /orders\.order\.events/);

    // The order's timeline, opened from its event: every part of the system, until it is paid.
    await placedRow.click();
    const timeline = page.locator(`[data-testid="order-timeline"][data-order-id="${orderId}"]`);
    await timeline.locator(`[data-testid="timeline-events"] li[data-type="${ORDER_PAID}"]`).waitFor({ timeout: PAID_ON_PAGE_MS });
    await timeline.locator('[data-testid="saga-status"]', { hasText: 'completed' }).waitFor({ timeout: PAID_ON_PAGE_MS });
    await timeline.locator('[data-testid="emails"] li', { hasText: 'Receipt for order' }).waitFor({ timeout: PAID_ON_PAGE_MS });
    const steps = await timeline.locator('[data-testid="saga-steps"] li').evaluateAll((items) => items.map((item) => `${item.getAttribute('data-activity')}:${item.getAttribute('data-outcome')}`));
    assert.ok(steps.length >= 2 && steps.every((step) => step.endsWith(':completed')), `the saga's steps: ${steps.join(', ')}`);
    const payments = await timeline.locator('[data-testid="payments"] li').evaluateAll((items) => items.map((item) => item.getAttribute('data-status')));
    assert.deepEqual(payments, ['captured'], 'one authorization at the provider, captured');
    // The trace link opens the order's trace in Jaeger's query API: the same trace the spans went to.
    const traceUrl = await timeline.getByTestId('trace-link').getAttribute('href');
    if (!traceUrl?.startsWith(`http://127.0.0.1:${env.JAEGER_QUERY_HTTP_PORT}/api/traces/`)) assert.fail(`the trace link is ${traceUrl}`);
    const trace = (await (await fetch(traceUrl)).json()) as { data?: { spans?: unknown[] }[] };
    assert.ok((trace.data?.[0]?.spans?.length ?? 0) > 0, `Jaeger holds no spans at ${traceUrl}`);
    // Its way through the system, from that trace: the request orders received, the event it
    // published, and each consumer that applied it.
    await timeline.locator('[data-testid="trace-steps"] li[data-kind="server"][data-service="orders"][data-operation="POST /orders"]').waitFor({ timeout: PAID_ON_PAGE_MS });
    await timeline.locator(`[data-testid="trace-steps"] li[data-kind="producer"][data-service="orders"][data-operation="${ORDER_EVENTS_TOPIC} publish"]`).first().waitFor({ timeout: PAID_ON_PAGE_MS });
    for (const consumer of ['billing', 'notifications']) {
      await timeline.locator(`[data-testid="trace-steps"] li[data-kind="consumer"][data-service="${consumer}"][data-operation="${ORDER_EVENTS_TOPIC} process"]`).first().waitFor({ timeout: PAID_ON_PAGE_MS });
    }

    // The group committed at the end before the order: it lacks every record written since, the
    // order's events among them, and the page must say exactly how many Kafka has.
    await page.getByTestId('group-filter').fill(stoppedGroup);
    const orderEvents = await timeline.locator(`[data-testid="timeline-events"] li[data-type^="orders.order."]`).count();
    const admin = kafkaAdmin;
    const writtenSince = async () =>
      (await admin.fetchTopicOffsets(ORDER_EVENTS_TOPIC)).reduce((sum, { partition, high }) => sum + Number(high) - Number(ends.find((end) => end.partition === partition)?.high ?? 0), 0);
    const expected = await writtenSince();
    assert.ok(expected >= orderEvents && orderEvents >= 3, `${expected} records written since, ${orderEvents} of them the order's (placed, confirmed, paid)`);
    await page.locator(`tr[data-group="${stoppedGroup}"][data-topic="${ORDER_EVENTS_TOPIC}"][data-lag="${expected}"]`).waitFor({ timeout: TOPOLOGY_SETTLES_MS });
    await keepScreenshot(page, 'console.png');

    // The read-only console offers no switch and refuses one sent anyway.
    assert.equal(await page.getByTestId('switch-notifications-postgres').count(), 0);
    const refused = await fetch(`${consoleBackend.url}/api/links/notifications-postgres`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'cut' }),
    });
    assert.equal(refused.status, 403);
    assert.match(((await refused.json()) as { detail: string }).detail, /read-only: start it with FAULTLINE_WORKSHOP_MODE=true/);
    // Nor does it sign a customer in.
    const noSignIn = await fetch(`${consoleBackend.url}/api/session/sign-in`, { redirect: 'manual' });
    assert.equal(noSignIn.status, 403);

    // In workshop mode, notifications' database link cut from the page: the link turns red, and
    // notifications, whose /ready checks its database, turns not ready naming it; healed from the
    // page, both come back. Another site's page cannot flip it.
    const workshop = await ServiceProcess.start({
      app: 'console',
      port: 'free',
      env: (free) => ({ CONSOLE_HTTP_PORT: String(free), FAULTLINE_WORKSHOP_MODE: 'true' }),
      logName: 'console-workshop',
    });
    consoles.push(workshop);
    const notificationsDatabase = new ToxiproxyLink({ proxy: 'notifications-postgres', configFor: 'scenarios' });
    const billingDatabase = new ToxiproxyLink({ proxy: 'billing-postgres', configFor: 'scenarios' });
    const replicaReplay = new ReplicaReplayControl({ host: '127.0.0.1', port: env.PG_REPLICA_PORT, user: env.PG_SUPERUSER, password: env.PG_SUPERUSER_PASSWORD });
    try {
      const crossSite = await fetch(`${workshop.url}/api/links/notifications-postgres`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://elsewhere.example' },
        body: JSON.stringify({ state: 'cut' }),
      });
      assert.equal(crossSite.status, 403);
      // Orders from the page need the page's own session: none is refused, and so is another site's page.
      const noSession = await fetch(`${workshop.url}/api/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify({ currency: 'EUR', items: [{ sku: 'console-mug', quantity: 1, unitPriceCents: 1_250 }] }),
      });
      assert.equal(noSession.status, 401);
      const crossSiteOrder = await fetch(`${workshop.url}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://elsewhere.example' }, body: '{}' });
      assert.equal(crossSiteOrder.status, 403);
      const workshopPage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      workshopPage.on('pageerror', (error) => pageErrors.push(error.message));
      await workshopPage.goto(workshop.url);
      assert.equal(await workshopPage.getByTestId('mode').innerText(), 'workshop mode');

      // A customer signs in from the page, on the identity provider's own login form, and places an
      // order there: its timeline opens and reaches paid, with the receipt e-mail and the trace link,
      // and orders says the order is theirs.
      const shopper = await identity.newCustomerWithCredentials();
      await giveContactPreferences(shopper.customer);
      await workshopPage.getByTestId('sign-in').click();
      await workshopPage.locator('input[name="email"]').fill(shopper.email);
      await workshopPage.locator('input[name="password"]').fill(shopper.password);
      await workshopPage.getByRole('button', { name: 'Sign in' }).click();
      await workshopPage.locator(`[data-testid="signed-in"][data-customer-id="${shopper.customer.customerId}"]`).waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      assert.equal(new URL(workshopPage.url()).origin, workshop.url, 'the sign-in came back to the console');
      await workshopPage.getByTestId('place-order').click();
      const fromThePage = workshopPage.getByTestId('order-timeline');
      await fromThePage.locator(`[data-testid="timeline-events"] li[data-type="${ORDER_PAID}"]`).waitFor({ timeout: PAID_ON_PAGE_MS });
      await fromThePage.locator('[data-testid="emails"] li', { hasText: 'Receipt for order' }).waitFor({ timeout: PAID_ON_PAGE_MS });
      await fromThePage.getByTestId('trace-link').waitFor({ timeout: PAID_ON_PAGE_MS });
      const pagesOrder = await fromThePage.getAttribute('data-order-id');
      const asOwner = await shopper.customer.fetch(`${orders.url}/orders/${pagesOrder}`);
      assert.equal(asOwner.status, 200, `GET /orders/${pagesOrder} as the customer who signed in on the page`);
      // A read that sends back its consistency token waits for the projection, and the page counts it.
      const token = asOwner.headers.get('x-consistency-token');
      assert.ok(token, 'orders sends a consistency token with each read');
      assert.equal((await shopper.customer.fetch(`${orders.url}/orders/${pagesOrder}`, { headers: { 'x-consistency-token': token } })).status, 200);
      await workshopPage.getByTestId('token-waits-orders').filter({ hasText: /order_details: [1-9]\d* caught up/ }).waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      await keepScreenshot(workshopPage, 'console-order-from-page.png');
      await workshopPage.getByTestId('order-timeline').getByRole('button', { name: 'close' }).click();

      // Orders' database link slowed from the page: a read of the order takes the toxic's second
      // more, and restored, it does not.
      const readOrder = async () => {
        const started = performance.now();
        assert.equal((await shopper.customer.fetch(`${orders.url}/orders/${pagesOrder}`)).status, 200);
        return performance.now() - started;
      };
      await workshopPage.getByTestId('slow-orders-postgres').click();
      await workshopPage.locator('[data-testid="link-orders-postgres"][data-state="slowed"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      assert.match(await workshopPage.getByTestId('link-orders-postgres').innerText(), /latency \{"latency":1000/);
      const slowRead = await readOrder();
      assert.ok(slowRead >= 1_000, `a read through the slowed link took ${Math.round(slowRead)} ms`);
      await workshopPage.getByTestId('slow-orders-postgres').click();
      await workshopPage.locator('[data-testid="link-orders-postgres"][data-state="open"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      const restoredRead = await eventually(async () => {
        const took = await readOrder();
        return took < 1_000 ? took : undefined;
      }, { timeoutMs: TOPOLOGY_SETTLES_MS, intervalMs: 200, what: 'a read under a second once the link is restored' });
      assert.ok(restoredRead < 1_000);

      // Billing's clock skewed 90 s ahead from the page (billing runs in workshop mode; orders does
      // not, and says its clock is fixed): the console measures it 90 s ahead, and back on true time.
      await workshopPage.locator('[data-testid="clock-orders"][data-skew-ms=""]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      assert.match(await workshopPage.getByTestId('clock-orders').innerText(), /fixed \(not in workshop mode\)/);
      await workshopPage.locator('[data-testid="clock-billing"][data-skew-ms="0"][data-offset-s="0"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      await workshopPage.getByTestId('skew-billing-90000').click();
      await workshopPage.locator('[data-testid="clock-billing"][data-skew-ms="90000"][data-offset-s="90"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      await keepScreenshot(workshopPage, 'console-clock-skew.png');
      await workshopPage.getByTestId('skew-billing-0').click();
      await workshopPage.locator('[data-testid="clock-billing"][data-skew-ms="0"][data-offset-s="0"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });

      // The customer moves to Chatham (UTC+13:45, a zone no other test uses): billing's schedule for
      // them, told by signal, sleeps until 09:00 there, and the page shows that instant from
      // Temporal's timer.
      await renameCustomer(customer, billing.url, 'Billed in Chatham', 'Pacific/Chatham');
      const chatham = workshopPage.getByTestId('billing-zone-Pacific/Chatham');
      await chatham.waitFor({ timeout: TOPOLOGY_SETTLES_MS * 3 });
      const localNow = DateTime.now().setZone('Pacific/Chatham');
      const nineToday = localNow.set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
      const expectedRun = localNow < nineToday ? nineToday : nineToday.plus({ days: 1 });
      const shownRun = DateTime.fromISO((await chatham.getAttribute('data-next-run-at')) ?? '');
      assert.ok(Math.abs(shownRun.toMillis() - expectedRun.toMillis()) < 5_000, `next run ${shownRun.toISO()}, expected 09:00 in Chatham: ${expectedRun.toUTC().toISO()}`);

      // Orders' outbox and projections, and billing's consumer's held events, as their /metrics say.
      assert.match(await workshopPage.getByTestId('signals-orders').innerText(), /outbox \d+ rows/);
      assert.match(await workshopPage.getByTestId('signals-billing').innerText(), /billing-orders 0/);
      await workshopPage.locator('[data-testid="link-notifications-postgres"][data-state="open"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      await workshopPage.getByTestId('switch-notifications-postgres').click();
      await workshopPage.locator('[data-testid="link-notifications-postgres"][data-state="cut"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      const notReady = workshopPage.locator('[data-testid="service-notifications"][data-state="not-ready"]');
      await notReady.waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      assert.match(await notReady.innerText(), /database/);
      // The diagram draws the same: the link's line red and dashed, notifications' box not ready.
      await workshopPage.locator('[data-testid="edge-notifications-postgres-notifications"][data-state="cut"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      await workshopPage.locator('[data-testid="node-notifications"][data-state="not-ready"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      assert.equal(await workshopPage.locator('[data-testid="edge-billing-postgres-billing"]').getAttribute('data-state'), 'open');
      assert.equal(await workshopPage.locator('[data-testid="edge-smtp-notifications"]').getAttribute('data-state'), 'open');
      assert.equal(await workshopPage.locator('[data-testid^="edge-kafka-"]').count(), 3, "orders', billing's and notifications' Kafka link");
      await keepScreenshot(workshopPage, 'console-link-cut.png');
      await workshopPage.getByTestId('switch-notifications-postgres').click();
      await workshopPage.locator('[data-testid="link-notifications-postgres"][data-state="open"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      await workshopPage.locator('[data-testid="service-notifications"][data-state="ready"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      await workshopPage.locator('[data-testid="edge-notifications-postgres-notifications"][data-state="open"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });

      // The provider declines every charge, switched on from the page: the next order is rejected,
      // and its timeline says so, with the e-mail that tells the customer.
      await workshopPage.getByTestId('fault-decline').click();
      await workshopPage.locator('[data-testid="provider-faults"][data-active="decline"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      await workshopPage.getByTestId('flow-status').filter({ hasText: 'reading orders.order.events' }).waitFor({ timeout: TOPOLOGY_SETTLES_MS * 3 });
      const declinedOrderId = await placeOrder(orders.url, customer);
      await workshopPage.locator(`tr[data-aggregate-id="${declinedOrderId}"][data-type="${ORDER_PLACED}"]`).click({ timeout: EVENT_REACHES_PAGE_MS });
      const declined = workshopPage.locator(`[data-testid="order-timeline"][data-order-id="${declinedOrderId}"]`);
      await declined.locator(`[data-testid="timeline-events"] li[data-type="${ORDER_REJECTED}"]`).waitFor({ timeout: PAID_ON_PAGE_MS });
      await declined.locator('[data-testid="emails"] li', { hasText: 'could not be completed' }).waitFor({ timeout: PAID_ON_PAGE_MS });
      await keepScreenshot(workshopPage, 'console-provider-declines.png');
      await workshopPage.getByTestId('fault-clear').click();
      await workshopPage.locator('[data-testid="provider-faults"][data-active=""]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });

      // Billing's database cut from the page while an order-placed event arrives: billing retries it,
      // then dead-letters it as retryable, and the page lists it. Healed, billing still lacks the
      // order (nothing redrives by itself here) until the page's redrive sends the event back: then
      // billing has it, the depth is back to 0, and the ledger says the console redrove it. Dead
      // letters earlier suites left waiting (the dead-letter scenario's poison record) are archived
      // first, as an operator's `npm run dlq -- purge` would: the depth starts at 0.
      const billingLedger = new DeadLetterLedger(kafka, `${BILLING_CONSUMER}.dlq`, new SystemClock());
      await billingLedger.archive(kafka.createOrderedProducer(), {}, { by: 'console test set-up' });
      const billingDeadLetters = workshopPage.getByTestId(`dead-letters-${BILLING_CONSUMER}`);
      await workshopPage.locator(`[data-testid="dead-letters-${BILLING_CONSUMER}"][data-depth="0"]`).waitFor({ timeout: DEAD_LETTER_ON_PAGE_MS });
      await workshopPage.getByTestId('switch-billing-postgres').click();
      await workshopPage.locator('[data-testid="link-billing-postgres"][data-state="cut"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      const strandedOrder = randomUUID();
      const placed = new OrderEventStream({
        orderId: strandedOrder,
        customerId: customer.customerId,
        total: { amountMinor: 700, currency: 'EUR' },
        correlationId: `console-test-${strandedOrder}`,
        causationId: 'console-test',
      }).placed(new Date().toISOString());
      await kafka.createOrderedProducer().send(ORDER_EVENTS_TOPIC, [{ key: strandedOrder, value: JSON.stringify(placed) }]);
      const letter = billingDeadLetters.locator(`[data-testid="dead-letter"][data-key="${strandedOrder}"][data-retryable="true"]`);
      await letter.waitFor({ timeout: DEAD_LETTER_ON_PAGE_MS });
      await workshopPage.locator(`[data-testid="dead-letters-${BILLING_CONSUMER}"][data-depth="1"]`).waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      await keepScreenshot(workshopPage, 'console-dead-letter.png');
      await workshopPage.getByTestId('switch-billing-postgres').click();
      await workshopPage.locator('[data-testid="service-billing"][data-state="ready"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      assert.equal(await billingCopy(customer, billing.url, strandedOrder), null, 'billing has the order before anything redrove its event');
      const letterId = await letter.getAttribute('data-id');
      await workshopPage.getByTestId(`redrive-${BILLING_CONSUMER}-${letterId}`).click();
      await letter.waitFor({ state: 'detached', timeout: TOPOLOGY_SETTLES_MS });
      await workshopPage.locator(`[data-testid="dead-letters-${BILLING_CONSUMER}"][data-depth="0"]`).waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      await eventually(() => billingHas(customer, billing.url, strandedOrder), { timeoutMs: TOPOLOGY_SETTLES_MS, intervalMs: 200, what: 'billing applying the redriven event' });
      const [resolved] = await billingLedger.list({ ids: [letterId ?? ''], includeResolved: true });
      assert.deepEqual({ action: resolved?.resolution?.action, by: resolved?.resolution?.by }, { action: 'redriven', by: 'console' });

      // The replica's replay paused from the page while the customer renames themself: billing's
      // replica is behind, and every read goes to the primary, a read without a token too (it would
      // get the old name from the replica). Resumed, the lag is gone and reads use the replica again.
      const billingReplica = workshopPage.getByTestId('replica-billing');
      await workshopPage.locator('[data-testid="replica-replay"][data-state="not paused"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      await workshopPage.locator('[data-testid="replica-billing"][data-forced="false"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      await workshopPage.getByTestId('replica-switch').click();
      await workshopPage.locator('[data-testid="replica-replay"][data-state="paused"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      await renameCustomer(customer, billing.url, 'Renamed while the replica is paused');
      await workshopPage.locator('[data-testid="replica-billing"][data-behind="true"][data-forced="true"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      const readsBefore = { primary: Number(await billingReplica.getAttribute('data-primary-reads')), replica: Number(await billingReplica.getAttribute('data-replica-reads')) };
      const READS = 5;
      for (let read = 0; read < READS; read++) {
        assert.deepEqual(await readCustomer(customer, billing.url), { displayName: 'Renamed while the replica is paused', servedBy: 'primary' });
      }
      await workshopPage
        .locator(`[data-testid="replica-billing"][data-primary-reads="${readsBefore.primary + READS}"][data-replica-reads="${readsBefore.replica}"]`)
        .waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      await keepScreenshot(workshopPage, 'console-replica-paused.png');
      await workshopPage.getByTestId('replica-switch').click();
      await workshopPage.locator('[data-testid="replica-replay"][data-state="not paused"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      await workshopPage.locator('[data-testid="replica-billing"][data-forced="false"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      await eventually(async () => ((await readCustomer(customer, billing.url)).servedBy === 'replica' ? true : undefined), {
        timeoutMs: TOPOLOGY_SETTLES_MS,
        intervalMs: 200,
        what: 'a read served by the replica once replay resumed',
      });
    } finally {
      // The proxies and the provider are shared with every other suite: never leave a fault behind.
      await notificationsDatabase.restore();
      await billingDatabase.restore();
      await replicaReplay.resume();
      await fetch(`${system.billing.url}/admin/clock`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"skewMs":0}' }).catch(() => undefined);
      // The console's own latency toxic goes with its own switch.
      await fetch(`${workshop.url}/api/links/orders-postgres`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"state":"open"}' }).catch(() => undefined);
      await fetch(`${system.paymentProvider.url}/admin/faults`, { method: 'DELETE' }).catch(() => undefined);
    }

    await billing.stop();
    await page.locator('[data-testid="service-billing"][data-state="down"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
    assert.deepEqual(pageErrors, [], 'the page threw');
  });

  it('runs circuit-breaker naive then correct from the page: the breaker stays closed while the naive run waits out the provider, then opens; a run stopped from the page stops its services', async () => {
    assert.ok(browser && system, 'the browser or the system did not start');
    // Each scenario starts billing, the provider and the identity provider on their own ports: the
    // system of the test above stops first, as the demo's would for a workshop.
    const running = system;
    system = undefined;
    await running.stop();
    const workshop = await ServiceProcess.start({
      app: 'console',
      port: 'free',
      env: (free) => ({ CONSOLE_HTTP_PORT: String(free), FAULTLINE_WORKSHOP_MODE: 'true' }),
      logName: 'console-scenarios',
    });
    consoles.push(workshop);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(workshop.url);
    await page.getByTestId('scenario-choice').selectOption('circuit-breaker');
    const breaker = (state: string) => page.locator(`[data-testid="breaker-billing-payment-provider"][data-state="${state}"]`);
    const openings = page.locator('[data-testid="breaker-transitions"] li[data-service="billing"][data-to="open"]');
    const narration = page.getByTestId('scenario-narration');

    const runFromThePage = async (mode: 'naive' | 'correct', whileRunning: () => Promise<void>) => {
      await page.getByTestId(`scenario-mode-${mode}`).check();
      await page.getByTestId('scenario-run').click();
      const run = page.locator(`[data-testid="scenario-current"][data-scenario="circuit-breaker"][data-mode="${mode}"]`);
      await page.locator(`[data-testid="scenario-current"][data-mode="${mode}"][data-state="running"]`).waitFor({ timeout: TOPOLOGY_SETTLES_MS });
      await whileRunning();
      await page.locator(`[data-testid="scenario-current"][data-mode="${mode}"]:not([data-state="running"])`).waitFor({ timeout: SCENARIO_RUN_MS });
      assert.equal(await run.getAttribute('data-state'), 'showed-its-promise', await narration.innerText());
    };

    // Naive: billing's breaker is there and closed while the run drives it, and it never opens.
    await runFromThePage('naive', () => breaker('closed').waitFor({ timeout: SCENARIO_RUN_MS }));
    assert.match(await narration.innerText(), /✓ the failure reproduced, as naive mode promises/);
    assert.equal(await openings.count(), 0, 'the naive breaker opened');
    await keepScreenshot(page, 'console-scenario-naive.png');

    // Correct: the same traffic opens it; the page shows it open, and the transition stays listed.
    await runFromThePage('correct', async () => {
      await breaker('open').waitFor({ timeout: SCENARIO_RUN_MS });
      await keepScreenshot(page, 'console-breaker-open.png');
    });
    assert.match(await narration.innerText(), /Measurements[\s\S]*✓ the fix held, as correct mode promises/);
    assert.ok((await openings.count()) >= 1, 'the correct run opened the breaker, and the page kept the transition');

    // A run stopped from the page stops with the services it started.
    await page.getByTestId('scenario-mode-naive').check();
    await page.getByTestId('scenario-run').click();
    await breaker('closed').waitFor({ timeout: SCENARIO_RUN_MS });
    await page.getByTestId('scenario-stop').click();
    await page.locator('[data-testid="scenario-current"][data-mode="naive"][data-state="stopped"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
    for (const service of ['billing', 'payment-provider', 'identity']) {
      await page.locator(`[data-testid="service-${service}"][data-state="down"]`).waitFor({ timeout: TOPOLOGY_SETTLES_MS * 2 });
    }
    assert.deepEqual(pageErrors, [], 'the page threw');
  });
});

/** The customer's profile at billing renamed (PUT /customers/:id, which creates it the first time), in `timeZone`. */
async function renameCustomer(customer: Customer, billingUrl: string, displayName: string, timeZone = 'Europe/Lisbon'): Promise<void> {
  const response = await customer.fetch(`${billingUrl}/customers/${customer.customerId}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName, timeZone }),
  });
  assert.equal(response.status < 300, true, `PUT /customers/${customer.customerId} answered ${response.status}: ${await response.text()}`);
}

/** The customer's profile read back without a consistency token, and the database that served it. */
async function readCustomer(customer: Customer, billingUrl: string): Promise<{ displayName: string; servedBy: string | null }> {
  const response = await customer.fetch(`${billingUrl}/customers/${customer.customerId}`);
  assert.equal(response.status, 200, `GET /customers/${customer.customerId} answered ${response.status}`);
  return { displayName: ((await response.json()) as { displayName: string }).displayName, servedBy: response.headers.get(SERVED_BY_HEADER) };
}

async function giveContactPreferences(customer: Customer): Promise<void> {
  // An address to write to, and no quiet hours: the paid order's e-mail goes out at once.
  const response = await customer.fetch(`http://127.0.0.1:${env.NOTIFICATIONS_HTTP_PORT}/customers/${customer.customerId}/contact-preferences`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `console-${customer.customerId}@example.com`, timeZone: 'UTC' }),
  });
  assert.equal(response.status, 201, await response.text());
}

async function placeOrder(ordersUrl: string, customer: Customer): Promise<string> {
  const response = await customer.fetch(`${ordersUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify({ customerId: customer.customerId, currency: 'EUR', items: [{ sku: 'console-mug', quantity: 1, unitPriceCents: 1_250 }] }),
  });
  const answer = await response.text();
  assert.equal(response.status, 201, answer);
  return (JSON.parse(answer) as { orderId: string }).orderId;
}

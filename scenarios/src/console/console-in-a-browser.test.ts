// The workshop console in a real browser (Debian's Chromium, driven by Playwright), on the real
// system: the identity provider and orders run as processes, the console's backend reads Kafka in
// a consumer group of its own and asks each service's /ready. The page must show what is true
// right now: orders ready, billing down (it is not started), an order placed through orders' API
// appearing in the event flow without a reload, and orders going down when it stops.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { z } from 'zod';
import { loadConfig, port } from '@faultline/shared/config';
import { ServiceProcess, requireReachable, workspaceRoot } from '@faultline/shared/testing';
import { requireScenarioPortsFree } from '../free-ports.js';
import { ScenarioIdentity, type Customer } from '../identity.js';
import { launchChromium } from './browser.js';

const env = loadConfig('scenarios', z.object({ ORDERS_HTTP_PORT: port(), BILLING_HTTP_PORT: port(), KAFKA_PORT: port() }));

/** The page asks /api/topology every 2 s and the console's own probe waits 1.5 s at most. */
const TOPOLOGY_SETTLES_MS = 10_000;
/** From POST /orders to the row on the page: the outbox relay, Kafka, the console's fetch, a 250 ms batch. */
const EVENT_REACHES_PAGE_MS = 20_000;

/** The page's screenshots: under .faultline always; into docs/images too when asked (FAULTLINE_UPDATE_SCREENSHOTS=true). */
function keepScreenshot(page: Page, name: string): Promise<void> {
  const folder = join(workspaceRoot(), '.faultline', 'screenshots');
  mkdirSync(folder, { recursive: true });
  const file = join(folder, name);
  return page.screenshot({ path: file, fullPage: true }).then(() => {
    if (process.env.FAULTLINE_UPDATE_SCREENSHOTS === 'true') copyFileSync(file, join(workspaceRoot(), 'docs', 'images', name));
  });
}

describe('the workshop console in a browser', () => {
  let identity: ScenarioIdentity | undefined;
  let orders: ServiceProcess | undefined;
  let consoleBackend: ServiceProcess | undefined;
  let browser: Browser | undefined;
  let customer: Customer;
  const pageErrors: string[] = [];

  before(async () => {
    await requireReachable('Kafka', env.KAFKA_PORT);
    await requireScenarioPortsFree({ orders: env.ORDERS_HTTP_PORT, billing: env.BILLING_HTTP_PORT });
    browser = await launchChromium();
    identity = await ScenarioIdentity.start();
    orders = await ServiceProcess.start({ app: 'orders', port: env.ORDERS_HTTP_PORT, logName: 'console-orders' });
    consoleBackend = await ServiceProcess.start({ app: 'console', port: 'free', env: (free) => ({ CONSOLE_HTTP_PORT: String(free) }), logName: 'console' });
    customer = await identity.newCustomer();
  });

  after(async () => {
    await browser?.close();
    await Promise.allSettled([consoleBackend?.stop(), orders?.stop()]);
    await identity?.stop();
  });

  it('shows each service as its /ready answers, an order\'s event as it is published, and a service that stops', async () => {
    assert.ok(browser && orders && consoleBackend, 'the browser, orders or the console did not start');
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(consoleBackend.url);

    await page.locator('[data-testid="service-orders"][data-state="ready"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
    await page.locator('[data-testid="service-billing"][data-state="down"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
    assert.match(await page.getByTestId('mode').innerText(), /^read-only/);
    // The console reads the orders topic (fetched once, so its start offsets are fixed) before the order is placed.
    await page.getByTestId('flow-status').filter({ hasText: 'reading orders.order.events' }).waitFor({ timeout: TOPOLOGY_SETTLES_MS });

    const placed = await customer.fetch(`${orders.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ customerId: customer.customerId, currency: 'EUR', items: [{ sku: 'console-mug', quantity: 1, unitPriceCents: 1_250 }] }),
    });
    const answer = await placed.text();
    assert.equal(placed.status, 201, answer);
    const { orderId } = JSON.parse(answer) as { orderId: string };
    const row = page.locator(`tr[data-aggregate-id="${orderId}"][data-type="orders.order.placed"]`);
    await row.waitFor({ timeout: EVENT_REACHES_PAGE_MS });
    assert.match(await row.innerText(), /orders\.order\.events/);
    await keepScreenshot(page, 'console.png');

    await orders.stop();
    await page.locator('[data-testid="service-orders"][data-state="down"]').waitFor({ timeout: TOPOLOGY_SETTLES_MS });
    assert.deepEqual(pageErrors, [], 'the page threw');
  });
});

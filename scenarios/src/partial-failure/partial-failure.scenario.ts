import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { loadConfig, port } from '@faultline/shared/config';
import { requireScenarioPortsFree } from '../free-ports.js';
import { ScenarioIdentity, type Customer } from '../identity.js';
import type { Narrator, Scenario, ScenarioMode, ScenarioOutcome } from '../scenario.js';
import { ServiceProcess } from '@faultline/shared/testing';
import { PaymentObserver } from './payment-observer.js';

/** How long the saga may take to settle the order: billing's retries plus the workflow's steps, with room. */
const SETTLE_TIMEOUT_MS = 60_000;
const AMOUNT_MINOR = 2_800;

/**
 * Article 6 — partial failure between services. Orders (with its OrderFulfilment saga on Temporal),
 * billing and the payment provider simulator run as real processes. The provider is told to commit
 * the next request and then drop the connection without answering — the charge happened, the caller
 * never heard. Correct: billing retries with the same provider key (the provider replays its stored
 * answer), so the order ends paid with ONE authorization although the provider received that key's
 * authorization twice or more; two concurrent billing requests with one key reach the provider
 * once. Naive (BILLING_PROVIDER_CALLS=naive): billing retries without a key and the provider,
 * rightly, charges again.
 */
export const partialFailureScenario: Scenario = {
  name: 'partial-failure',
  article: 6,
  title: 'Partial failure — the answer lost after the charge',
  switches: { naive: { BILLING_PROVIDER_CALLS: 'naive' }, correct: { BILLING_PROVIDER_CALLS: 'keyed' } },
  promise: {
    naive: "the provider charges, then drops its answer: billing retries without a key and the customer's order holds TWO authorizations",
    correct:
      'the provider charges, then drops its answer: billing retries with the same key, the order still ends paid with exactly ONE authorization, and two concurrent requests with one key charge once',
  },
  run: runPartialFailure,
};

async function runPartialFailure(mode: ScenarioMode, narrate: Narrator): Promise<ScenarioOutcome> {
  const env = loadConfig(
    'scenarios',
    z.object({ ORDERS_HTTP_PORT: port(), BILLING_HTTP_PORT: port(), PAYMENT_PROVIDER_HTTP_PORT: port(), TEMPORAL_PORT: port() }),
  );
  await requireScenarioPortsFree({ orders: env.ORDERS_HTTP_PORT, billing: env.BILLING_HTTP_PORT, 'payment-provider': env.PAYMENT_PROVIDER_HTTP_PORT });
  const billingEnv: Record<string, string> = { FAULTLINE_WORKSHOP_MODE: 'true', ...partialFailureScenario.switches[mode] };
  const ordersEnv = {
    FAULTLINE_WORKSHOP_MODE: 'true',
    ORDERS_FULFILMENT: 'saga',
    // A task queue of this run's own, and only orders placed from now on: the saga's starter reads
    // the orders topic from its beginning, and older orders are not this scenario's to fulfil.
    ORDERS_FULFILMENT_TASK_QUEUE: `partial-failure-${randomUUID()}`,
    ORDERS_FULFILMENT_PLACED_SINCE: new Date().toISOString(),
  };
  const started: ServiceProcess[] = [];
  let identity: ScenarioIdentity | undefined;
  try {
    narrate.step(
      `Starting the identity provider, the payment provider, billing (BILLING_PROVIDER_CALLS=${billingEnv.BILLING_PROVIDER_CALLS}) ` +
        'and orders with its fulfilment saga (its service tokens for billing come from the identity provider)',
    );
    identity = await ScenarioIdentity.start();
    const starting = await Promise.allSettled([
      ServiceProcess.start({ app: 'payment-provider', port: env.PAYMENT_PROVIDER_HTTP_PORT, env: () => ({}), logName: 'scenario-payment-provider' }),
      ServiceProcess.start({ app: 'billing', port: env.BILLING_HTTP_PORT, env: () => billingEnv, logName: 'scenario-billing' }),
      ServiceProcess.start({ app: 'orders', port: env.ORDERS_HTTP_PORT, env: () => ordersEnv, logName: 'scenario-orders' }),
    ]);
    for (const result of starting) if (result.status === 'fulfilled') started.push(result.value);
    for (const result of starting) if (result.status === 'rejected') throw result.reason;
    const [provider, billing, orders] = started as [ServiceProcess, ServiceProcess, ServiceProcess];
    // It calls billing's payments as the saga does: with orders' service token (article 2).
    const observer = new PaymentObserver(provider.url, billing.url, identity.asOrdersService);

    narrate.step('The provider will commit the next request, then drop the connection without answering');
    await observer.resetProvider({ dropResponseAfterCommit: true, times: 1 });

    const customer = await identity.newCustomer();
    narrate.step(`Placing an order of ${AMOUNT_MINOR} EUR minor units through POST /orders; the saga authorizes, confirms, captures`);
    const placedAt = performance.now();
    const orderId = await placeOrder(orders.url, customer);
    narrate.detail(`order ${orderId} placed; workflow order-${orderId}`);
    const status = await awaitSettled(orders.url, customer, orderId);
    const settleSeconds = (performance.now() - placedAt) / 1_000;
    const charges = await observer.chargesFor(orderId);
    const stats = await observer.providerStats();
    const dropsApplied = stats.faultsApplied['drop-response'];
    const [retriedKey, retriedKeyRequests] = mostSentKey(stats.authorizeRequestsByKey);
    const retriedKeyOrder = retriedKey === undefined ? undefined : await observer.orderChargedUnderKey(retriedKey);
    narrate.detail(`order ${status} after ${settleSeconds.toFixed(1)} s`);
    narrate.detail(`the provider dropped ${dropsApplied} answer(s) after committing (drop-response fault applied)`);
    const storedUnderKey = retriedKeyOrder === orderId ? "this order's charge" : `the charge of ${retriedKeyOrder ?? 'no order'}`;
    narrate.detail(
      `the provider received ${stats.byOperation.authorize} authorize request(s), ` +
        (retriedKey === undefined ? 'none with an Idempotency-Key' : `${retriedKeyRequests} of them with the key ${retriedKey} (it stored ${storedUnderKey})`),
    );
    narrate.detail(`it holds ${charges.length} authorization(s) for the order: ${charges.map((c) => `${c.id} ${c.status}`).join(', ') || 'none'}`);

    narrate.step('Two concurrent POST /payments/authorizations to billing with ONE Idempotency-Key');
    await observer.clearFaults();
    const concurrentOrderId = randomUUID();
    const key = `partial-failure-${randomUUID()}`;
    const body = { orderId: concurrentOrderId, customerId: customer.customerId, amountMinor: AMOUNT_MINOR, currency: 'EUR' };
    const statuses = await Promise.all([observer.authorizeAtBilling(key, body), observer.authorizeAtBilling(key, body)]);
    const concurrentCharges = (await observer.chargesFor(concurrentOrderId)).length;
    narrate.detail(`billing answered ${statuses.join(' and ')}; the provider holds ${concurrentCharges} authorization(s) for that order`);

    // The fault must have fired and, in correct mode, the retry must have reached the provider with
    // the first request's key: one charge alone could also mean the answer was never lost.
    const showed =
      dropsApplied >= 1 &&
      (mode === 'correct'
        ? status === 'paid' && charges.length === 1 && retriedKeyRequests >= 2 && retriedKeyOrder === orderId && concurrentCharges === 1
        : charges.length >= 2);
    return {
      showedWhatItPromised: showed,
      measurements: {
        orderStatus: status,
        secondsToSettle: Number(settleSeconds.toFixed(1)),
        providerDropResponsesApplied: dropsApplied,
        providerAuthorizeRequests: stats.byOperation.authorize,
        providerMostAuthorizeRequestsForOneKey: retriedKeyRequests,
        providerRetriedKeyChargedTheOrder: retriedKeyOrder === orderId,
        providerAuthorizationsForOrder: charges.length,
        providerCapturedForOrder: charges.filter((c) => c.status === 'captured').length,
        concurrentSameKeyStatuses: statuses.join(','),
        providerAuthorizationsForConcurrentSameKey: concurrentCharges,
      },
    };
  } finally {
    await Promise.allSettled(started.map((service) => service.stop()));
    await identity?.stop();
  }
}

async function placeOrder(ordersUrl: string, customer: Customer): Promise<string> {
  const response = await customer.fetch(`${ordersUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify({ customerId: customer.customerId, currency: 'EUR', items: [{ sku: 'book', quantity: 2, unitPriceCents: AMOUNT_MINOR / 2 }] }),
  });
  if (response.status !== 201) throw new Error(`POST /orders answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { orderId: string }).orderId;
}

/** Polls the order until the saga has settled it (paid or rejected), or fails naming the last status. */
async function awaitSettled(ordersUrl: string, customer: Customer, orderId: string): Promise<string> {
  const deadline = performance.now() + SETTLE_TIMEOUT_MS;
  let status = 'unknown';
  while (performance.now() < deadline) {
    const response = await customer.fetch(`${ordersUrl}/orders/${orderId}`);
    if (response.ok) status = ((await response.json()) as { status: string }).status;
    if (status === 'paid' || status === 'rejected' || status === 'cancelled') return status;
    await sleep(250);
  }
  throw new Error(
    `order ${orderId} was still "${status}" after ${SETTLE_TIMEOUT_MS / 1_000} s — look at workflow order-${orderId} in the Temporal UI ` +
      'and at .faultline/logs/scenario-orders.log',
  );
}

/** The Idempotency-Key the provider received most authorize requests with, and how many; [undefined, 0] when none had a key. */
function mostSentKey(requestsByKey: Record<string, number>): [string | undefined, number] {
  let most: [string | undefined, number] = [undefined, 0];
  for (const [key, requests] of Object.entries(requestsByKey)) if (requests > most[1]) most = [key, requests];
  return most;
}

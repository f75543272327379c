import { randomUUID } from 'node:crypto';
import { CONSISTENCY_TOKEN_HEADER } from '@faultline/shared/consistency';
import { ServiceProcess, eventually } from '@faultline/shared/testing';
import { scenarioEnvironment } from '../environment.js';
import { requireScenarioPortsFree } from '../free-ports.js';
import { ScenarioIdentity, type Customer } from '../identity.js';
import type { Narrator, Scenario, ScenarioMode, ScenarioOutcome } from '../scenario.js';
import { anOrder, expectOk, postJson, runWriteReadCycles, type CycleResult } from './write-read-cycles.js';

/** Orders placed then cancelled per run: two write→read cycles each, 100 in all. */
export const ORDER_COUNT = 50;
export const CYCLE_COUNT = ORDER_COUNT * 2;
/** The workshop delay: every event reaches the read models 2 s after its commit. */
const PROJECTION_DELAY_MS = 2_000;

/**
 * Article 5 — eventual consistency. Orders runs as a real process with its read models held 2 s
 * behind the event store. Sessions place orders, then cancel them, and read each one right after writing.
 * Naive: the read ignores the consistency token and the projection answers as it is — "no such
 * order" right after placing it, "placed" right after cancelling it. Correct: the read sends the
 * write's token back, waits up to 500 ms for the projection, then answers from the event stream:
 * never older than the write. Then a client that finds nothing after placing an order places it
 * again: naive, a second order. Both modes also send one POST twice with the same Idempotency-Key.
 */
export const eventualConsistencyScenario: Scenario = {
  name: 'eventual-consistency',
  article: 5,
  title: 'Eventual consistency — reading your own write from a lagging read model',
  // The projection is delayed in both modes; only the read side's use of the token flips.
  switches: { naive: { ORDERS_READS: 'naive' }, correct: { ORDERS_READS: 'consistent' } },
  promise: {
    naive: `${CYCLE_COUNT} write→read cycles against a read model 2 s behind; reads without a token show data older than the caller's own write, and a client that finds nothing places its order twice`,
    correct: `${CYCLE_COUNT} write→read cycles against a read model 2 s behind; reads with the write's token are never older than the write, and no order is placed twice`,
  },
  run: runEventualConsistency,
};

async function runEventualConsistency(mode: ScenarioMode, narrate: Narrator): Promise<ScenarioOutcome> {
  const env = scenarioEnvironment();
  await requireScenarioPortsFree({ orders: env.ORDERS_HTTP_PORT });
  const started = performance.now();
  const serviceEnv: Record<string, string> = {
    FAULTLINE_WORKSHOP_MODE: 'true',
    // Not about fulfilment: the saga (article 6) would move these orders on while they are read.
    ORDERS_FULFILMENT: 'off',
    ORDERS_PROJECTION_DELAY_MS: String(PROJECTION_DELAY_MS),
    ...eventualConsistencyScenario.switches[mode],
  };
  let identity: ScenarioIdentity | undefined;
  let orders: ServiceProcess | undefined;
  try {
    narrate.step(`Starting the identity provider, and orders with ORDERS_PROJECTION_DELAY_MS=${PROJECTION_DELAY_MS} and ORDERS_READS=${serviceEnv.ORDERS_READS}`);
    identity = await ScenarioIdentity.start();
    const newCustomer = identity.newCustomer.bind(identity);
    orders = await ServiceProcess.start({ app: 'orders', port: env.ORDERS_HTTP_PORT, env: () => serviceEnv, logName: 'scenario-orders' });
    narrate.detail(`orders ready at ${orders.url} (log: ${orders.logFile})`);

    const withTokens = mode === 'correct';
    narrate.step(
      `Running ${CYCLE_COUNT} write→read cycles: place ${ORDER_COUNT} orders, then (once the placements are projected) cancel them; ` +
        `each write is followed by GET /orders/:id ${withTokens ? 'with the X-Consistency-Token the write returned' : 'without a token'}`,
    );
    const cycles = await runWriteReadCycles(orders.url, newCustomer, ORDER_COUNT, withTokens, PROJECTION_DELAY_MS + 500);
    const stale = cycles.filter((cycle) => cycle.read < cycle.written);
    narrate.detail(`stale reads (older than the caller's own write): ${stale.length} of ${cycles.length}${describeStale(stale)}`);
    narrate.detail(`answered from: ${formatCounts(cycles.map((cycle) => cycle.consistency))}`);

    narrate.step('Sending POST /orders twice with the same Idempotency-Key');
    const duplicate = await postTwice(orders.url, await newCustomer());
    narrate.detail(
      `same order id both times: ${duplicate.sameOrderId}; orders the customer has once the list caught up: ${duplicate.ordersForCustomer}`,
    );

    narrate.step("A client that doesn't find its order right after placing it places it again (with a new key, as a new attempt)");
    const resubmitted = await placeAgainIfMissing(orders.url, await newCustomer(), withTokens);
    narrate.detail(`orders the customer ends up with: ${resubmitted}`);

    const idempotent = duplicate.sameOrderId && duplicate.ordersForCustomer === 1;
    const showed =
      idempotent &&
      cycles.length === CYCLE_COUNT &&
      (mode === 'naive' ? stale.length > 0 && resubmitted > 1 : stale.length === 0 && resubmitted === 1);
    return {
      showedWhatItPromised: showed,
      measurements: {
        cycles: cycles.length,
        staleReads: stale.length,
        readsNotFound: stale.filter((cycle) => cycle.read === 0).length,
        readsFromEventStream: cycles.filter((cycle) => cycle.consistency === 'source-of-truth').length,
        duplicatePostSameOrderId: duplicate.sameOrderId,
        ordersForDuplicateKey: duplicate.ordersForCustomer,
        ordersAfterPlacingAgainIfMissing: resubmitted,
        durationSeconds: Number(((performance.now() - started) / 1_000).toFixed(1)),
      },
    };
  } finally {
    await orders?.stop();
    await identity?.stop();
  }
}

/**
 * One POST /orders sent twice with one Idempotency-Key (a client retrying after a lost response):
 * the same order both times, and exactly one in the customer's list.
 */
async function postTwice(ordersUrl: string, customer: Customer): Promise<{ sameOrderId: boolean; ordersForCustomer: number }> {
  const key = randomUUID();
  const first = await expectOk(await postJson(`${ordersUrl}/orders`, customer, anOrder(customer), key), 'POST /orders');
  const retry = await expectOk(await postJson(`${ordersUrl}/orders`, customer, anOrder(customer), key), 'POST /orders (retry)');
  const [{ orderId }, { orderId: retriedId }] = (await Promise.all([first.json(), retry.json()])) as { orderId: string }[];
  return { sameOrderId: orderId === retriedId, ordersForCustomer: await settledOrderCount(ordersUrl, customer, retry, retriedId) };
}

/**
 * The failure ARTICLES.md §5 names: a client places an order, reads it back, finds nothing, and
 * places it again — a new attempt, so a new Idempotency-Key, and a second order. With the token,
 * the read finds the order and the client stops there.
 */
async function placeAgainIfMissing(ordersUrl: string, customer: Customer, withTokens: boolean): Promise<number> {
  let last = await expectOk(await postJson(`${ordersUrl}/orders`, customer, anOrder(customer)), 'POST /orders');
  const { orderId } = (await last.json()) as { orderId: string };
  const headers: Record<string, string> = withTokens ? { [CONSISTENCY_TOKEN_HEADER]: last.headers.get(CONSISTENCY_TOKEN_HEADER) ?? '' } : {};
  const read = await customer.fetch(`${ordersUrl}/orders/${orderId}`, { headers });
  let lastOrderId = orderId;
  if (read.status === 404) {
    last = await expectOk(await postJson(`${ordersUrl}/orders`, customer, anOrder(customer)), 'POST /orders (again)');
    lastOrderId = ((await last.json()) as { orderId: string }).orderId;
  }
  return settledOrderCount(ordersUrl, customer, last, lastOrderId);
}

/**
 * The customer's orders once the list has caught up with `write`: no longer pending, and holding
 * the order that write created — with the workshop's projection delay, "not pending" alone was once
 * seen to answer while only the first of two orders was in the list (the count then read 1).
 */
function settledOrderCount(ordersUrl: string, customer: Customer, write: Response, writtenOrderId: string): Promise<number> {
  const headers = { [CONSISTENCY_TOKEN_HEADER]: write.headers.get(CONSISTENCY_TOKEN_HEADER) ?? '' };
  return eventually(
    async () => {
      const response = await customer.fetch(`${ordersUrl}/customers/${customer.customerId}/orders`, { headers });
      const list = (await (await expectOk(response, 'GET /customers/:id/orders')).json()) as { orders: { orderId: string }[]; pending: boolean };
      return !list.pending && list.orders.some((order) => order.orderId === writtenOrderId) ? list.orders.length : undefined;
    },
    { timeoutMs: PROJECTION_DELAY_MS * 5, intervalMs: 200, what: "the customer's order list catching up" },
  );
}

function describeStale(stale: readonly CycleResult[]): string {
  if (stale.length === 0) return '';
  return ` (${formatCounts(stale.map((cycle) => `wrote v${cycle.written}, read ${cycle.read === 0 ? '404' : `v${cycle.read}`}`))})`;
}

function formatCounts(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([value, n]) => `${value} ${n}`).join(', ');
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AcceptedOrder } from './order-load.js';
import { judgeInvariants } from './run-invariants.js';
import type { SystemLedgers } from './system-ledgers.js';

const healedAt = Date.parse('2026-11-29T00:00:00Z');
const order = (orderId: string): AcceptedOrder => ({ orderId, totalCents: 4_900, acceptedAt: healedAt - 10_000, attempts: 1 });

/** One order placed, paid, captured once and published everywhere: the ledgers of a run where nothing went wrong. */
function wholeLedgers(orderId: string): SystemLedgers {
  return {
    orders: new Map([[orderId, { orderId, events: 3, placed: true, terminal: 'paid', terminalAt: new Date(healedAt + 5_000) }]]),
    payments: [{ paymentId: 'p1', orderId, amountMinor: 4_900, status: 'captured', providerAuthorizationId: 'auth_1' }],
    charges: [{ id: 'auth_1', orderReference: orderId, amountMinor: 4_900, status: 'captured' }],
    unpublishedOfRun: { orders: 0 },
    unpublishedTotal: { orders: 2 },
    publishedOutOfOrder: 0,
    processed: { 'billing-orders': 3, 'notifications-orders': 3, 'orders-fulfilment': 3 },
    workflows: 1,
  };
}

const verdictOf = (ledgers: SystemLedgers, name: RegExp) => {
  const invariant = judgeInvariants([order('o1')], ledgers, healedAt).invariants.find((candidate) => name.test(candidate.name));
  assert.ok(invariant, `no invariant matching ${name}`);
  return invariant;
};

describe('the kill-and-recover invariants', () => {
  it('all hold for a run whose ledgers agree, and count what they saw', () => {
    const { invariants, counts } = judgeInvariants([order('o1')], wholeLedgers('o1'), healedAt);
    assert.deepEqual(invariants.filter((invariant) => !invariant.holds), []);
    assert.equal(counts.paid, 1);
    assert.equal(counts['last terminal after heal (s)'], 5);
  });

  it('names an order still placed, and one that became terminal more than 60 s after the heal', () => {
    const ledgers = wholeLedgers('o1');
    ledgers.orders.set('o1', { orderId: 'o1', events: 1, placed: true, terminal: undefined, terminalAt: undefined });
    assert.match(verdictOf(ledgers, /terminal/).detail, /0 of 1 terminal.*e\.g\. o1/);
    ledgers.orders.set('o1', { orderId: 'o1', events: 3, placed: true, terminal: 'paid', terminalAt: new Date(healedAt + 61_000) });
    assert.equal(verdictOf(ledgers, /terminal/).holds, false);
  });

  it('finds a second live charge on the card statement even when billing knows only one', () => {
    const ledgers = wholeLedgers('o1');
    ledgers.charges.push({ id: 'auth_2', orderReference: 'o1', amountMinor: 4_900, status: 'authorized' });
    assert.equal(verdictOf(ledgers, /double charge/).holds, false);
    assert.match(verdictOf(ledgers, /ledger balances/).detail, /auth_2 \(authorized\) of order o1: unknown to billing/);
  });

  it('leaves a charge billing has not recorded yet on an order still being fulfilled to the terminal invariant', () => {
    const ledgers = wholeLedgers('o1');
    ledgers.orders.set('o1', { orderId: 'o1', events: 2, placed: true, terminal: undefined, terminalAt: undefined });
    ledgers.payments = [];
    assert.equal(verdictOf(ledgers, /ledger balances/).holds, true);
    assert.equal(verdictOf(ledgers, /terminal/).holds, false);
  });

  it('breaks the ledger when billing and the provider disagree on a payment, or a hold outlives its order', () => {
    const ledgers = wholeLedgers('o1');
    ledgers.payments[0] = { paymentId: 'p1', orderId: 'o1', amountMinor: 4_900, status: 'authorized', providerAuthorizationId: 'auth_1' };
    const verdict = verdictOf(ledgers, /ledger balances/);
    assert.equal(verdict.holds, false);
    assert.match(verdict.detail, /billing authorized 4900, provider captured 4900/);
    assert.match(verdict.detail, /still authorized on a paid order/);
    assert.equal(verdictOf(ledgers, /captured payments/).holds, false);
  });

  it("fails on an unpublished row of the run's orders but not on other suites' rows", () => {
    const ledgers = wholeLedgers('o1');
    assert.equal(verdictOf(ledgers, /outbox/).holds, true);
    ledgers.unpublishedOfRun = { orders: 1 };
    assert.equal(verdictOf(ledgers, /outbox/).holds, false);
  });

  it('fails when the relay published a later event of an order before an earlier one', () => {
    const ledgers = { ...wholeLedgers('o1'), publishedOutOfOrder: 1 };
    assert.match(verdictOf(ledgers, /outbox/).detail, /1 published before their predecessor/);
    assert.equal(verdictOf(ledgers, /outbox/).holds, false);
  });

  it('fails when a consumer processed fewer events than were produced, or a placed order got no workflow', () => {
    const ledgers = wholeLedgers('o1');
    ledgers.processed['notifications-orders'] = 2;
    assert.match(verdictOf(ledgers, /consumer/).detail, /notifications-orders 2/);
    assert.equal(verdictOf(ledgers, /consumer/).holds, false);
    const noWorkflow = { ...wholeLedgers('o1'), workflows: 0 };
    assert.equal(verdictOf(noWorkflow, /consumer/).holds, false);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ORDER_CANCELLED, ORDER_PAID, ORDER_PLACED, ORDER_REFUNDED, ORDER_REJECTED } from '@faultline/shared/contracts';
import type { ReceivedEmail } from './mailbox.js';
import type { AcceptedOrder } from './order-load.js';
import { eventIdOfMessageId, judgeInvariants, judgeRelayTakeOver, type SuiteCancellations } from './run-invariants.js';
import type { OrderOutcome, SystemLedgers } from './system-ledgers.js';

const healedAt = Date.parse('2026-11-29T00:00:00Z');
const order = (orderId: string): AcceptedOrder => ({ orderId, customerId: 'c1', totalCents: 4_900, acceptedAt: healedAt - 10_000, attempts: 1 });
/** The address of customer c1 in the run. */
const ADDRESS = 'c1@chaos.faultline';

/** An e-mail as MailDev lists it: notifications' Message-ID is derived from the event id. */
const email = (eventId: string, subject: string, to = ADDRESS): ReceivedEmail => ({ subject, to: [to], messageId: `<${eventId}@notifications.faultline>` });

/** placed, confirmed, paid: the stream of an order that went through. */
function paidOrder(orderId: string): OrderOutcome {
  return {
    orderId,
    stream: [
      { sequence: 1, eventId: `${orderId}-e1`, type: ORDER_PLACED },
      { sequence: 2, eventId: `${orderId}-e2`, type: 'orders.order.confirmed' },
      { sequence: 3, eventId: `${orderId}-e3`, type: ORDER_PAID },
    ],
    placed: true,
    terminal: 'paid',
    terminalAt: new Date(healedAt + 5_000),
  };
}

/** One order placed, paid, captured once, published in order and applied once by every consumer: a run where nothing went wrong. */
function wholeLedgers(orderId: string): SystemLedgers {
  return {
    orders: new Map([[orderId, paidOrder(orderId)]]),
    payments: [{ paymentId: 'p1', orderId, amountMinor: 4_900, status: 'captured', providerAuthorizationId: 'auth_1' }],
    charges: [{ id: 'auth_1', orderReference: orderId, amountMinor: 4_900, status: 'captured' }],
    unpublishedOfRun: { orders: 0 },
    unpublishedTotal: { orders: 2 },
    published: new Map([
      [
        orderId,
        [
          { partition: 2, offset: 40n, sequence: 1, eventId: `${orderId}-e1` },
          { partition: 2, offset: 41n, sequence: 2, eventId: `${orderId}-e2` },
          { partition: 2, offset: 45n, sequence: 3, eventId: `${orderId}-e3` },
        ],
      ],
    ]),
    processed: { 'billing-orders': 3, 'notifications-orders': 3, 'orders-fulfilment': 3 },
    notifications: new Map([[orderId, 1]]),
    billingOrders: new Map([[orderId, { status: 'paid', version: 3 }]]),
    checkpoints: {
      'billing-orders': new Map([[orderId, 3]]),
      'notifications-orders': new Map([[orderId, 3]]),
      'orders-fulfilment': new Map([[orderId, 3]]),
    },
    deadLetters: [],
    workflows: 1,
    receipts: new Map([[orderId, [`${orderId}-r1`]]]),
    providerRefunds: new Map(),
    emails: [email(`${orderId}-e1`, `We have your order ${orderId}`), email(`${orderId}-r1`, `Receipt for order ${orderId}`)],
  };
}

/** The run cancelled o1 once it was paid: placed, confirmed, paid, cancelled, refunded, the payment refunded once everywhere. */
function refundedLedgers(): SystemLedgers {
  const ledgers = wholeLedgers('o1');
  const stream = [
    ...paidOrder('o1').stream,
    { sequence: 4, eventId: 'o1-e4', type: ORDER_CANCELLED },
    { sequence: 5, eventId: 'o1-e5', type: ORDER_REFUNDED },
  ];
  ledgers.orders.set('o1', { ...paidOrder('o1'), stream, terminal: 'refunded', terminalAt: new Date(healedAt + 8_000) });
  ledgers.payments = [{ paymentId: 'p1', orderId: 'o1', amountMinor: 4_900, status: 'refunded', providerAuthorizationId: 'auth_1' }];
  ledgers.charges = [{ id: 'auth_1', orderReference: 'o1', amountMinor: 4_900, status: 'refunded' }];
  ledgers.providerRefunds = new Map([['o1', 1]]);
  ledgers.published.set('o1', stream.map((event, index) => ({ partition: 2, offset: 40n + BigInt(index), sequence: event.sequence, eventId: event.eventId })));
  ledgers.processed = { 'billing-orders': 5, 'notifications-orders': 5, 'orders-fulfilment': 5 };
  ledgers.billingOrders.set('o1', { status: 'refunded', version: 5 });
  for (const consumer of Object.keys(ledgers.checkpoints)) ledgers.checkpoints[consumer] = new Map([['o1', 5]]);
  ledgers.emails.push(email('o1-e4', 'Your order o1 is cancelled'), email('o1-e5', 'Your refund for order o1'));
  return ledgers;
}

const cancelledByRun: SuiteCancellations = { chosen: ['o1'], cancelled: new Set(['o1']), notCancelled: new Map() };

const verdictOf = (ledgers: SystemLedgers, name: RegExp, cancellations?: SuiteCancellations) => {
  const invariant = judgeInvariants([order('o1')], ledgers, healedAt, cancellations).invariants.find((candidate) => name.test(candidate.name));
  assert.ok(invariant, `no invariant matching ${name}`);
  return invariant;
};

describe('the kill-and-recover invariants', () => {
  it('all hold for a run whose ledgers agree, and count what they saw', () => {
    const { invariants, counts } = judgeInvariants([order('o1')], wholeLedgers('o1'), healedAt);
    assert.deepEqual(invariants.filter((invariant) => !invariant.holds), []);
    assert.equal(invariants.length, 10);
    assert.equal(counts.paid, 1);
    assert.equal(counts['e-mails expected'], 2);
    assert.equal(counts['e-mails received'], 2);
    assert.equal(counts['last terminal after heal (s)'], 5);
  });

  it('names an order still placed, and one that became terminal more than 60 s after the heal', () => {
    const ledgers = wholeLedgers('o1');
    ledgers.orders.set('o1', { ...paidOrder('o1'), terminal: undefined, terminalAt: undefined });
    assert.match(verdictOf(ledgers, /terminal/).detail, /0 of 1 terminal.*e\.g\. o1/);
    ledgers.orders.set('o1', { ...paidOrder('o1'), terminalAt: new Date(healedAt + 61_000) });
    assert.equal(verdictOf(ledgers, /terminal/).holds, false);
  });

  it('fails when every order ends rejected, although every ledger agrees with the others', () => {
    const ledgers = wholeLedgers('o1');
    const rejected: OrderOutcome = {
      ...paidOrder('o1'),
      stream: [...paidOrder('o1').stream.slice(0, 2), { sequence: 3, eventId: 'o1-e3', type: ORDER_REJECTED }],
      terminal: 'rejected',
    };
    ledgers.orders.set('o1', rejected);
    ledgers.payments = [{ paymentId: 'p1', orderId: 'o1', amountMinor: 4_900, status: 'voided', providerAuthorizationId: 'auth_1' }];
    ledgers.charges = [{ id: 'auth_1', orderReference: 'o1', amountMinor: 4_900, status: 'voided' }];
    ledgers.billingOrders.set('o1', { status: 'rejected', version: 3 });
    ledgers.receipts = new Map();
    ledgers.emails = [email('o1-e1', 'We have your order o1'), email('o1-e3', 'Your order o1 could not be completed')];
    const { invariants } = judgeInvariants([order('o1')], ledgers, healedAt);
    assert.deepEqual(
      invariants.filter((invariant) => !invariant.holds).map((invariant) => invariant.name),
      [invariants[1]?.name],
      'only "every accepted order is paid" may fail: the ledgers of a rejected order agree',
    );
    assert.match(verdictOf(ledgers, /every accepted order is paid/).detail, /0 of 1 accepted orders paid, 0 refunded after the run cancelled them once paid \(1 neither: 1 rejected/);
  });

  it('finds a second live charge on the card statement even when billing knows only one', () => {
    const ledgers = wholeLedgers('o1');
    ledgers.charges.push({ id: 'auth_2', orderReference: 'o1', amountMinor: 4_900, status: 'authorized' });
    assert.equal(verdictOf(ledgers, /double charge/).holds, false);
    assert.match(verdictOf(ledgers, /ledger balances/).detail, /auth_2 \(authorized\) of order o1: unknown to billing/);
  });

  it('leaves a charge billing has not recorded yet on an order still being fulfilled to the terminal invariant', () => {
    const ledgers = wholeLedgers('o1');
    ledgers.orders.set('o1', { ...paidOrder('o1'), terminal: undefined, terminalAt: undefined });
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
    assert.equal(verdictOf(ledgers, /published/).holds, true);
    ledgers.unpublishedOfRun = { orders: 1 };
    assert.equal(verdictOf(ledgers, /published/).holds, false);
  });

  it('fails when an event the outbox marked published is not on the topic', () => {
    const ledgers = wholeLedgers('o1');
    ledgers.published.set('o1', ledgers.published.get('o1')?.filter((record) => record.sequence !== 2) ?? []);
    const verdict = verdictOf(ledgers, /published/);
    assert.equal(verdict.holds, false);
    assert.match(verdict.detail, /1 events missing, e\.g\. o1-e2/);
  });

  it("fails when a later event of an order was first written to the topic before an earlier one, or on another partition", () => {
    const swapped = wholeLedgers('o1');
    swapped.published.set('o1', [
      { partition: 2, offset: 40n, sequence: 1, eventId: 'o1-e1' },
      { partition: 2, offset: 42n, sequence: 2, eventId: 'o1-e2' },
      { partition: 2, offset: 41n, sequence: 3, eventId: 'o1-e3' },
    ]);
    assert.match(verdictOf(swapped, /published/).detail, /1 events first written before their predecessor, e\.g\. o1#3/);
    assert.equal(verdictOf(swapped, /published/).holds, false);
    const split = wholeLedgers('o1');
    split.published.set('o1', [
      { partition: 2, offset: 40n, sequence: 1, eventId: 'o1-e1' },
      { partition: 0, offset: 90n, sequence: 2, eventId: 'o1-e2' },
      { partition: 2, offset: 45n, sequence: 3, eventId: 'o1-e3' },
    ]);
    assert.match(verdictOf(split, /published/).detail, /1 orders on more than one partition/);
    assert.equal(verdictOf(split, /published/).holds, false);
  });

  it('allows the relay to publish an event again after a take-over, as long as its first copy kept the order', () => {
    const ledgers = wholeLedgers('o1');
    ledgers.published.get('o1')?.push({ partition: 2, offset: 46n, sequence: 2, eventId: 'o1-e2' }, { partition: 2, offset: 47n, sequence: 3, eventId: 'o1-e3' });
    const verdict = verdictOf(ledgers, /published/);
    assert.equal(verdict.holds, true, verdict.detail);
    assert.match(verdict.detail, /2 re-publications/);
  });

  it('fails when a consumer processed fewer events than were produced, or a placed order got no workflow', () => {
    const ledgers = wholeLedgers('o1');
    ledgers.processed['notifications-orders'] = 2;
    assert.match(verdictOf(ledgers, /processed every event/).detail, /notifications-orders 2/);
    assert.equal(verdictOf(ledgers, /processed every event/).holds, false);
    const noWorkflow = { ...wholeLedgers('o1'), workflows: 0 };
    assert.equal(verdictOf(noWorkflow, /processed every event/).holds, false);
  });

  it('fails when notifications applied a placed event twice, although its inbox holds the event once', () => {
    const ledgers = wholeLedgers('o1');
    ledgers.notifications.set('o1', 2);
    assert.equal(verdictOf(ledgers, /processed every event/).holds, true, 'the inbox count cannot see a second application');
    const verdict = verdictOf(ledgers, /applied an event twice/);
    assert.equal(verdict.holds, false);
    assert.match(verdict.detail, /order o1: 2 notifications/);
  });

  it("fails when billing dead-lettered a second placed (its copy's key refused it), or its copy missed the cancellation", () => {
    const doubled = wholeLedgers('o1');
    doubled.deadLetters = [{ consumer: 'billing-orders', orderId: 'o1', reason: 'non-retryable' }];
    assert.match(verdictOf(doubled, /applied an event twice/).detail, /order o1: dead-lettered by billing-orders \(non-retryable\)/);
    assert.equal(verdictOf(doubled, /applied an event twice/).holds, false);
    const cancelled = wholeLedgers('o1');
    cancelled.orders.set('o1', {
      ...paidOrder('o1'),
      stream: [...paidOrder('o1').stream.slice(0, 2), { sequence: 3, eventId: 'o1-e3', type: ORDER_CANCELLED }],
      terminal: 'cancelled',
    });
    assert.match(verdictOf(cancelled, /applied an event twice/).detail, /billing's copy paid at sequence 3, expected cancelled at 3/);
  });

  it("fails when a consumer's ordering checkpoint is behind the order's last sequence", () => {
    const ledgers = wholeLedgers('o1');
    ledgers.checkpoints['orders-fulfilment'] = new Map([['o1', 2]]);
    assert.match(verdictOf(ledgers, /applied an event twice/).detail, /orders-fulfilment's checkpoint at 2, its last sequence is 3/);
  });
});

describe('the refunds of the orders the run cancelled once paid', () => {
  it('all hold for an order the run cancelled after payment and that was refunded once, everywhere', () => {
    const { invariants, counts } = judgeInvariants([order('o1')], refundedLedgers(), healedAt, cancelledByRun);
    assert.deepEqual(invariants.filter((invariant) => !invariant.holds), []);
    assert.equal(counts.refunded, 1);
    assert.equal(counts['refunded exactly once'], 1);
    assert.equal(counts['provider refunds'], 1);
    assert.equal(counts['e-mails expected'], 4);
  });

  it('does not count a refunded order as settled when the run did not cancel it', () => {
    const ledgers = refundedLedgers();
    assert.equal(verdictOf(ledgers, /every accepted order is paid/).holds, false);
    assert.match(verdictOf(ledgers, /every accepted order is paid/).detail, /1 refunded unasked/);
    const refunds = verdictOf(ledgers, /refunded exactly once/);
    assert.equal(refunds.holds, false);
    assert.match(refunds.detail, /order o1: refunded .* but the run did not cancel it/);
  });

  it('does not count a refunded order as settled when its stream does not show it paid before it was cancelled', () => {
    const ledgers = refundedLedgers();
    const outcome = ledgers.orders.get('o1');
    assert.ok(outcome);
    ledgers.orders.set('o1', { ...outcome, stream: outcome.stream.filter((event) => event.type !== ORDER_PAID) });
    assert.equal(verdictOf(ledgers, /every accepted order is paid/, cancelledByRun).holds, false);
  });

  it('fails on a second refund at the provider, although the authorization shows refunded once', () => {
    const ledgers = refundedLedgers();
    ledgers.providerRefunds.set('o1', 2);
    const verdict = verdictOf(ledgers, /refunded exactly once/, cancelledByRun);
    assert.equal(verdict.holds, false);
    assert.match(verdict.detail, /1 orders refunded twice/);
    assert.match(verdict.detail, /order o1: 2 refunds carried out by the provider/);
    assert.equal(judgeInvariants([order('o1')], ledgers, healedAt, cancelledByRun).counts['double refunds'], 1);
  });

  it("fails when billing's payment is still captured while the provider refunded the authorization", () => {
    const ledgers = refundedLedgers();
    ledgers.payments = [{ paymentId: 'p1', orderId: 'o1', amountMinor: 4_900, status: 'captured', providerAuthorizationId: 'auth_1' }];
    assert.match(verdictOf(ledgers, /refunded exactly once/, cancelledByRun).detail, /0 refunded payments in billing/);
    assert.equal(verdictOf(ledgers, /ledger balances/, cancelledByRun).holds, false);
  });

  it('keeps a cancelled paid order whose refund is still running out of the terminal orders, and fails the refund', () => {
    const ledgers = refundedLedgers();
    const outcome = ledgers.orders.get('o1');
    assert.ok(outcome);
    ledgers.orders.set('o1', { ...outcome, stream: outcome.stream.slice(0, 4), terminal: undefined, terminalAt: undefined });
    ledgers.providerRefunds = new Map();
    assert.equal(verdictOf(ledgers, /terminal/, cancelledByRun).holds, false);
    assert.match(verdictOf(ledgers, /refunded exactly once/, cancelledByRun).detail, /orders has it not terminal \(refund pending\)/);
  });

  it('fails when an order chosen for cancellation was never cancelled', () => {
    const ledgers = wholeLedgers('o1');
    const verdict = verdictOf(ledgers, /refunded exactly once/, { chosen: ['o1'], cancelled: new Set(), notCancelled: new Map([['o1', 'POST answered 409']]) });
    assert.equal(verdict.holds, false);
    assert.match(verdict.detail, /order o1: chosen for cancellation, not cancelled \(POST answered 409\)/);
  });
});

describe('the e-mails MailDev received', () => {
  it('fails when the receipt of a captured payment never arrived', () => {
    const ledgers = wholeLedgers('o1');
    ledgers.emails = ledgers.emails.filter((received) => !received.subject.startsWith('Receipt'));
    const verdict = verdictOf(ledgers, /reached MailDev/);
    assert.equal(verdict.holds, false);
    assert.match(verdict.detail, /1 of 2 expected e-mails arrived .*payment-receipt 0\/1.*1 missing \(e\.g\. payment-receipt of order o1\)/);
  });

  it('fails when the cancellation and refund e-mails of a refunded order did not arrive', () => {
    const ledgers = refundedLedgers();
    ledgers.emails = ledgers.emails.slice(0, 2);
    assert.match(verdictOf(ledgers, /reached MailDev/, cancelledByRun).detail, /2 missing \(e\.g\. order-cancelled of order o1; order-refunded of order o1\)/);
  });

  it("fails when the e-mail with the event's Message-ID went to another address", () => {
    const ledgers = wholeLedgers('o1');
    ledgers.emails[0] = email('o1-e1', 'We have your order o1', 'someone@else.example');
    assert.match(verdictOf(ledgers, /reached MailDev/).detail, /1 to another address/);
  });

  it('allows a resend with the same Message-ID and counts it', () => {
    const ledgers = wholeLedgers('o1');
    ledgers.emails.push(email('o1-e1', 'We have your order o1'));
    const { invariants, counts } = judgeInvariants([order('o1')], ledgers, healedAt);
    assert.deepEqual(invariants.filter((invariant) => !invariant.holds), []);
    assert.equal(counts['e-mail resends'], 1);
    assert.match(verdictOf(ledgers, /sent twice/).detail, /^1 resends/);
  });

  it('fails when a second e-mail of the same kind for the same order carries a different Message-ID', () => {
    const ledgers = wholeLedgers('o1');
    ledgers.emails.push({ subject: 'We have your order o1', to: [ADDRESS], messageId: '<a-new-id@notifications.faultline>' });
    const verdict = verdictOf(ledgers, /sent twice/);
    assert.equal(verdict.holds, false);
    assert.match(verdict.detail, /1 kinds of one order with more than one Message-ID \(e\.g\. order-placed of order o1: 2 Message-IDs\)/);
    assert.match(verdict.detail, /1 e-mails no event of the run explains/);
    assert.equal(verdictOf(ledgers, /reached MailDev/).holds, true, 'the expected e-mail itself arrived');
  });

  it("reads the event id from notifications' Message-ID, with or without angle brackets, and nothing from another one", () => {
    assert.equal(eventIdOfMessageId('<0b7e-41@notifications.faultline>'), '0b7e-41');
    assert.equal(eventIdOfMessageId('0b7e-41@notifications.faultline'), '0b7e-41');
    assert.equal(eventIdOfMessageId('<0b7e-41@mail.example>'), undefined);
    assert.equal(eventIdOfMessageId(undefined), undefined);
  });
});

describe('the relay take-over invariant', () => {
  it('holds when the survivor took the lock within the bound', () => {
    const verdict = judgeRelayTakeOver({ leader: 'orders-a', survivor: 'orders-b', tookOverMs: 600, withinMs: 20_000 });
    assert.equal(verdict.holds, true);
    assert.match(verdict.detail, /orders-b took the lock after 0\.6 s/);
  });

  it('fails when the survivor did not take over, or when the lock was held by a process outside the run', () => {
    assert.equal(judgeRelayTakeOver({ leader: 'orders-a', survivor: 'orders-b', tookOverMs: undefined, withinMs: 20_000 }).holds, false);
    const outside = judgeRelayTakeOver({ leader: undefined, survivor: 'orders-b', tookOverMs: 300, withinMs: 20_000 });
    assert.equal(outside.holds, false);
    assert.match(outside.detail, /another orders process on this machine holds the lock/);
  });
});

import type { InvariantCheck } from '../chaos-report.js';
import type { AcceptedOrder } from './order-load.js';
import { ORDER_EVENT_CONSUMERS, type SystemLedgers } from './system-ledgers.js';
import { TERMINAL_WITHIN_MS } from './kill-and-recover-profile.js';

/** A charge that still holds or took the customer's money. */
const LIVE_CHARGE_STATUSES = new Set(['authorized', 'captured']);
/** Examples named in a failed invariant's detail: enough to start digging, short enough to read. */
const EXAMPLES = 3;

export interface InvariantVerdicts {
  invariants: InvariantCheck[];
  counts: Record<string, number>;
}

/**
 * The six invariants of issue 8 item 7 over what the ledgers say about the run's accepted orders.
 * Pure, so a failing run can be re-judged from the numbers alone. `healedAt` is when the last fault
 * was healed (or the last order accepted, if later).
 */
export function judgeInvariants(accepted: AcceptedOrder[], ledgers: SystemLedgers, healedAt: number): InvariantVerdicts {
  const outcomes = accepted.map((order) => ({ order, outcome: ledgers.orders.get(order.orderId) }));
  const notTerminal = outcomes.filter(({ outcome }) => outcome?.terminal === undefined).map(({ order }) => order.orderId);
  const lateTerminal = outcomes.filter(({ outcome }) => (outcome?.terminalAt?.getTime() ?? 0) > healedAt + TERMINAL_WITHIN_MS);
  const paid = new Set(outcomes.filter(({ outcome }) => outcome?.terminal === 'paid').map(({ order }) => order.orderId));
  const rejected = outcomes.filter(({ outcome }) => outcome?.terminal === 'rejected').length;
  const cancelled = outcomes.filter(({ outcome }) => outcome?.terminal === 'cancelled').length;
  const terminalTimes = outcomes.flatMap(({ outcome }) => (outcome?.terminalAt ? [outcome.terminalAt.getTime()] : []));
  const lastTerminalAt = terminalTimes.length > 0 ? Math.max(...terminalTimes) : healedAt;
  const slowestAfterHealS = Math.max(0, lastTerminalAt - healedAt) / 1000;
  const slowestOrderS =
    Math.max(0, ...outcomes.map(({ order, outcome }) => (outcome?.terminalAt ? outcome.terminalAt.getTime() - order.acceptedAt : 0))) / 1000;

  // 2. Captured payments in billing: exactly the paid orders, one each.
  const captured = ledgers.payments.filter((payment) => payment.status === 'captured');
  const capturedOrders = new Map<string, number>();
  for (const payment of captured) capturedOrders.set(payment.orderId, (capturedOrders.get(payment.orderId) ?? 0) + 1);
  const paidWithoutCapture = [...paid].filter((orderId) => capturedOrders.get(orderId) !== 1);
  const capturedNotPaid = [...capturedOrders.keys()].filter((orderId) => !paid.has(orderId));

  // 3. The card statement: at most one live charge per order.
  const liveCharges = new Map<string, number>();
  for (const charge of ledgers.charges) {
    if (LIVE_CHARGE_STATUSES.has(charge.status)) liveCharges.set(charge.orderReference, (liveCharges.get(charge.orderReference) ?? 0) + 1);
  }
  const doubleCharged = [...liveCharges].filter(([, count]) => count > 1).map(([orderId]) => orderId);
  const providerCaptured = ledgers.charges.filter((charge) => charge.status === 'captured').length;

  // 4. The ledger: billing's payments agree with the provider's statement and with the orders.
  const totals = new Map(accepted.map((order) => [order.orderId, order.totalCents]));
  const terminalOf = new Map(outcomes.map(({ order, outcome }) => [order.orderId, outcome?.terminal]));
  const chargesById = new Map(ledgers.charges.map((charge) => [charge.id, charge]));
  const paymentByAuthorization = new Set(ledgers.payments.map((payment) => payment.providerAuthorizationId));
  // An order whose saga is still running may have a charge billing has not recorded yet, or a status
  // billing has not taken over yet: that is the first invariant's failure, not a ledger break.
  const settled = (orderId: string) => terminalOf.get(orderId) !== undefined;
  const ledgerBreaks: string[] = [];
  for (const payment of ledgers.payments) {
    const charge = chargesById.get(payment.providerAuthorizationId);
    if (payment.amountMinor !== totals.get(payment.orderId)) ledgerBreaks.push(`payment ${payment.paymentId}: ${payment.amountMinor} ≠ order total ${totals.get(payment.orderId)}`);
    if (!charge) ledgerBreaks.push(`payment ${payment.paymentId}: no charge ${payment.providerAuthorizationId} at the provider`);
    else if (settled(payment.orderId) && (charge.status !== payment.status || charge.amountMinor !== payment.amountMinor)) {
      ledgerBreaks.push(`payment ${payment.paymentId}: billing ${payment.status} ${payment.amountMinor}, provider ${charge.status} ${charge.amountMinor}`);
    }
    if (payment.status === 'authorized' && settled(payment.orderId)) {
      ledgerBreaks.push(`payment ${payment.paymentId}: still authorized on a ${terminalOf.get(payment.orderId)} order`);
    }
  }
  for (const charge of ledgers.charges) {
    if (LIVE_CHARGE_STATUSES.has(charge.status) && !paymentByAuthorization.has(charge.id) && settled(charge.orderReference)) {
      ledgerBreaks.push(`provider charge ${charge.id} (${charge.status}) of order ${charge.orderReference}: unknown to billing`);
    }
  }
  const authorizedTotal = ledgers.payments.length;
  const byStatus = (status: string) => ledgers.payments.filter((payment) => payment.status === status).length;

  // 5 and 6. Every event out, every event in, once per consumer.
  const unpublished = Object.values(ledgers.unpublishedOfRun).reduce((sum, count) => sum + count, 0);
  const produced = [...ledgers.orders.values()].reduce((sum, outcome) => sum + outcome.events, 0);
  const placed = [...ledgers.orders.values()].filter((outcome) => outcome.placed).length;
  const consumerGaps = ORDER_EVENT_CONSUMERS.filter(({ consumer }) => ledgers.processed[consumer] !== produced);
  const examples = (ids: string[]) => (ids.length > 0 ? `, e.g. ${ids.slice(0, EXAMPLES).join(', ')}` : '');

  const invariants: InvariantCheck[] = [
    {
      name: `every order is terminal within ${TERMINAL_WITHIN_MS / 1000} s of the last heal`,
      holds: notTerminal.length === 0 && lateTerminal.length === 0 && ledgers.orders.size === accepted.length,
      detail:
        `${accepted.length - notTerminal.length} of ${accepted.length} terminal (${paid.size} paid, ${rejected} rejected, ${cancelled} cancelled), ` +
        `last ${slowestAfterHealS.toFixed(1)} s after the heal, slowest order ${slowestOrderS.toFixed(1)} s from accepted` +
        (ledgers.orders.size < accepted.length ? `; ${accepted.length - ledgers.orders.size} accepted orders missing from the event store` : '') +
        examples(notTerminal),
    },
    {
      name: 'captured payments (billing) = paid orders',
      holds: paidWithoutCapture.length === 0 && capturedNotPaid.length === 0 && captured.length === paid.size,
      detail:
        `${captured.length} captured, ${paid.size} paid; ${paidWithoutCapture.length} paid without exactly one capture, ` +
        `${capturedNotPaid.length} captured but not paid${examples([...paidWithoutCapture, ...capturedNotPaid])}`,
    },
    {
      name: "no double charge (at most one authorized-or-captured charge per order on the provider's statement)",
      holds: doubleCharged.length === 0,
      detail: `${ledgers.charges.length} provider charges (${providerCaptured} captured) for ${liveCharges.size} orders; ${doubleCharged.length} orders charged twice${examples(doubleCharged)}`,
    },
    {
      name: 'the ledger balances (each payment = its order total; on a terminal order the provider agrees with billing on every charge and no hold is left; authorized = captured + voided + refunded + open)',
      holds: ledgerBreaks.length === 0 && authorizedTotal === byStatus('captured') + byStatus('voided') + byStatus('refunded') + byStatus('authorized'),
      detail:
        `${authorizedTotal} authorized = ${byStatus('captured')} captured + ${byStatus('voided')} voided + ${byStatus('refunded')} refunded + ${byStatus('authorized')} open; ` +
        `${ledgerBreaks.length} breaks${ledgerBreaks.length > 0 ? `: ${ledgerBreaks.slice(0, EXAMPLES).join('; ')}` : ''}`,
    },
    {
      name: "every outbox row is published, each aggregate's in sequence order",
      holds: unpublished === 0 && ledgers.publishedOutOfOrder === 0,
      detail:
        (Object.entries(ledgers.unpublishedOfRun)
          .map(([database, count]) => `${database}: ${count} of the run unpublished (${ledgers.unpublishedTotal[database] ?? 0} in the table, other suites' included)`)
          .join('; ') || 'no service database has an outbox') + `; ${ledgers.publishedOutOfOrder} published before their predecessor`,
    },
    {
      name: "each consumer processed exactly the events produced for the run's orders, and the saga ran one workflow per placed order",
      holds: consumerGaps.length === 0 && ledgers.workflows === placed,
      detail:
        `${produced} events produced; ` +
        ORDER_EVENT_CONSUMERS.map(({ consumer }) => `${consumer} ${ledgers.processed[consumer] ?? 0}`).join(', ') +
        `; ${ledgers.workflows} workflows for ${placed} placed orders`,
    },
  ];
  const counts: Record<string, number> = {
    'orders accepted': accepted.length,
    paid: paid.size,
    rejected,
    cancelled,
    'not terminal': notTerminal.length,
    'payments captured': captured.length,
    'provider charges': ledgers.charges.length,
    'provider captured': providerCaptured,
    'outbox unpublished': unpublished,
    'published out of order': ledgers.publishedOutOfOrder,
    'events produced': produced,
    ...Object.fromEntries(ORDER_EVENT_CONSUMERS.map(({ consumer }) => [`${consumer} processed`, ledgers.processed[consumer] ?? 0])),
    workflows: ledgers.workflows,
    'last terminal after heal (s)': Number(slowestAfterHealS.toFixed(1)),
    'slowest accepted→terminal (s)': Number(slowestOrderS.toFixed(1)),
  };
  return { invariants, counts };
}

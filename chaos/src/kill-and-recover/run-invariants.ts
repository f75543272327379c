import type { InvariantCheck } from '../chaos-report.js';
import { judgeConsumers } from './invariants/consumer-applications.js';
import { judgeEmails } from './invariants/emails.js';
import { examples } from './invariants/invariant-examples.js';
import { judgePaymentLedger } from './invariants/payment-ledger.js';
import { judgeRefunds, paidThenCancelled, type SuiteCancellations } from './invariants/refunds.js';
import { judgePublication } from './invariants/topic-publication.js';
import { TERMINAL_WITHIN_MS } from './kill-and-recover-profile.js';
import type { AcceptedOrder } from './order-load.js';
import { ORDER_EVENT_CONSUMERS, type OrderOutcome, type SystemLedgers } from './system-ledgers.js';

export { eventIdOfMessageId } from './invariants/emails.js';
export { judgeRelayTakeOver } from './invariants/relay-take-over.js';
export type { SuiteCancellations } from './invariants/refunds.js';

const NO_CANCELLATIONS: SuiteCancellations = { chosen: [], cancelled: new Set(), notCancelled: new Map() };

/** The run's invariants, each held or broken with its detail, and the counts they were judged on. */
export interface InvariantVerdicts {
  invariants: InvariantCheck[];
  counts: Record<string, number>;
  /**
   * The names of the invariants over the e-mails MailDev received. Notifications sends them after
   * the events, so the checker waits for them longer than for the rest (see kill-and-recover.ts).
   */
  emailInvariants: string[];
}

/**
 * The invariants over what the ledgers say about the run's accepted orders. Pure, so a failing run
 * can be re-judged from the numbers alone. `healedAt` is when the last fault was healed (or the last
 * order accepted, if later).
 *
 * The run injects no payment declines (the provider declines only while its `decline` fault is
 * switched on, which this run never does), so every accepted order must end paid: a run where orders end rejected or cancelled has lost money
 * somewhere, even when every ledger agrees with the others. The one exception is the run's own: an
 * order its customer cancelled once paid (`cancellations`) must end refunded, exactly once.
 */
export function judgeInvariants(
  accepted: AcceptedOrder[],
  ledgers: SystemLedgers,
  healedAt: number,
  cancellations: SuiteCancellations = NO_CANCELLATIONS,
): InvariantVerdicts {
  const outcomes = accepted.map((order) => ({ order, outcome: ledgers.orders.get(order.orderId) }));
  const notTerminal = outcomes.filter(({ outcome }) => outcome?.terminal === undefined).map(({ order }) => order.orderId);
  const lateTerminal = outcomes.filter(({ outcome }) => (outcome?.terminalAt?.getTime() ?? 0) > healedAt + TERMINAL_WITHIN_MS);
  const paid = new Set(outcomes.filter(({ outcome }) => outcome?.terminal === 'paid').map(({ order }) => order.orderId));
  const rejected = outcomes.filter(({ outcome }) => outcome?.terminal === 'rejected').length;
  const cancelled = outcomes.filter(({ outcome }) => outcome?.terminal === 'cancelled').length;
  const refunded = outcomes.filter(({ outcome }) => outcome?.terminal === 'refunded').length;
  const terminalTimes = outcomes.flatMap(({ outcome }) => (outcome?.terminalAt ? [outcome.terminalAt.getTime()] : []));
  const lastTerminalAt = terminalTimes.length > 0 ? Math.max(...terminalTimes) : healedAt;
  const slowestAfterHealS = Math.max(0, lastTerminalAt - healedAt) / 1000;
  const slowestOrderS =
    Math.max(0, ...outcomes.map(({ order, outcome }) => (outcome?.terminalAt ? outcome.terminalAt.getTime() - order.acceptedAt : 0))) / 1000;

  // Captured payments in billing: exactly the paid orders, one each.
  const captured = ledgers.payments.filter((payment) => payment.status === 'captured');
  const capturedOrders = new Map<string, number>();
  for (const payment of captured) capturedOrders.set(payment.orderId, (capturedOrders.get(payment.orderId) ?? 0) + 1);
  const paidWithoutCapture = [...paid].filter((orderId) => capturedOrders.get(orderId) !== 1);
  const capturedNotPaid = [...capturedOrders.keys()].filter((orderId) => !paid.has(orderId));

  const produced = [...ledgers.orders.values()].reduce((sum, outcome) => sum + outcome.stream.length, 0);
  const placed = [...ledgers.orders.values()].filter((outcome) => outcome.placed).length;
  const { processed, appliedOnce, applications } = judgeConsumers(ledgers, produced, placed);
  // A refunded order is settled only when the run's customer cancelled it after it was paid.
  const settledAsAsked = (orderId: string, outcome: OrderOutcome | undefined) =>
    outcome?.terminal === 'paid' || (outcome?.terminal === 'refunded' && cancellations.cancelled.has(orderId) && paidThenCancelled(outcome));
  const notPaid = outcomes.filter(({ order, outcome }) => !settledAsAsked(order.orderId, outcome)).map(({ order }) => order.orderId);
  const refundedUnasked = outcomes.filter(({ order, outcome }) => outcome?.terminal === 'refunded' && !settledAsAsked(order.orderId, outcome)).length;
  const ledger = judgePaymentLedger(accepted, outcomes, ledgers);
  const publication = judgePublication(outcomes.flatMap(({ outcome }) => (outcome ? [outcome] : [])), ledgers, produced);
  const emails = judgeEmails(accepted, ledgers);
  const refunds = judgeRefunds(outcomes, ledgers, cancellations);

  const invariants: InvariantCheck[] = [
    {
      name: `every order is terminal within ${TERMINAL_WITHIN_MS / 1000} s of the last heal`,
      holds: notTerminal.length === 0 && lateTerminal.length === 0 && ledgers.orders.size === accepted.length,
      detail:
        `${accepted.length - notTerminal.length} of ${accepted.length} terminal (${paid.size} paid, ${refunded} refunded, ${rejected} rejected, ${cancelled} cancelled), ` +
        `last ${slowestAfterHealS.toFixed(1)} s after the heal, slowest order ${slowestOrderS.toFixed(1)} s from accepted` +
        (ledgers.orders.size < accepted.length ? `; ${accepted.length - ledgers.orders.size} accepted orders missing from the event store` : '') +
        examples(notTerminal),
    },
    {
      name:
        'every accepted order is paid (the run declines no card), or refunded when the run cancelled it after payment, ' +
        'and captured payments (billing) = paid orders',
      holds: notPaid.length === 0 && paidWithoutCapture.length === 0 && capturedNotPaid.length === 0 && captured.length === paid.size,
      detail:
        `${paid.size} of ${accepted.length} accepted orders paid, ${refunded - refundedUnasked} refunded after the run cancelled them once paid ` +
        `(${notPaid.length} neither: ${rejected} rejected, ${cancelled} cancelled, ${notTerminal.length} not terminal, ${refundedUnasked} refunded unasked${examples(notPaid)}); ` +
        `${captured.length} captured; ${paidWithoutCapture.length} paid without exactly one capture, ` +
        `${capturedNotPaid.length} captured but not paid${examples([...paidWithoutCapture, ...capturedNotPaid])}`,
    },
    ledger.noDoubleCharge,
    ledger.balances,
    publication.check,
    processed,
    appliedOnce,
    emails.arrived,
    emails.once,
    refunds.check,
  ];
  const counts: Record<string, number> = {
    'orders accepted': accepted.length,
    paid: paid.size,
    refunded,
    rejected,
    cancelled,
    'not terminal': notTerminal.length,
    'payments captured': captured.length,
    'provider charges': ledgers.charges.length,
    'provider captured': ledger.providerCaptured,
    'outbox unpublished': publication.unpublished,
    'events produced': produced,
    'records on the topic': publication.topic.records,
    'events missing from the topic': publication.topic.missing.length,
    're-published records': publication.topic.republished,
    'events first written before their predecessor': publication.topic.outOfOrder.length,
    ...Object.fromEntries(ORDER_EVENT_CONSUMERS.map(({ consumer }) => [`${consumer} processed`, ledgers.processed[consumer] ?? 0])),
    notifications: applications.notifications,
    'billing copies': applications.billingCopies,
    'dead letters of the run': ledgers.deadLetters.length,
    workflows: ledgers.workflows,
    ...emails.counts,
    ...refunds.counts,
    'last terminal after heal (s)': Number(slowestAfterHealS.toFixed(1)),
    'slowest accepted→terminal (s)': Number(slowestOrderS.toFixed(1)),
  };
  return { invariants, counts, emailInvariants: [emails.arrived.name, emails.once.name] };
}

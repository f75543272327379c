import type { InvariantCheck } from '../../chaos-report.js';
import type { AcceptedOrder } from '../order-load.js';
import type { OrderOutcome, SystemLedgers } from '../system-ledgers.js';
import { EXAMPLES, examples } from './invariant-examples.js';

/** A charge that still holds or took the customer's money. */
const LIVE_CHARGE_STATUSES = new Set(['authorized', 'captured']);

/**
 * The money invariants over billing's payments and the provider's statement: no order charged
 * twice, and the ledger balances — each payment is its order's total and, once the order is
 * terminal, the provider agrees with billing on every charge and no hold is left.
 */
export function judgePaymentLedger(
  accepted: readonly AcceptedOrder[],
  outcomes: readonly { order: AcceptedOrder; outcome: OrderOutcome | undefined }[],
  ledgers: SystemLedgers,
): { noDoubleCharge: InvariantCheck; balances: InvariantCheck; providerCaptured: number } {
  // The card statement: at most one live charge per order.
  const liveCharges = new Map<string, number>();
  for (const charge of ledgers.charges) {
    if (LIVE_CHARGE_STATUSES.has(charge.status)) liveCharges.set(charge.orderReference, (liveCharges.get(charge.orderReference) ?? 0) + 1);
  }
  const doubleCharged = [...liveCharges].filter(([, count]) => count > 1).map(([orderId]) => orderId);
  const providerCaptured = ledgers.charges.filter((charge) => charge.status === 'captured').length;

  // The ledger: billing's payments agree with the provider's statement and with the orders.
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

  const noDoubleCharge: InvariantCheck = {
    name: "no double charge (at most one authorized-or-captured charge per order on the provider's statement)",
    holds: doubleCharged.length === 0,
    detail: `${ledgers.charges.length} provider charges (${providerCaptured} captured) for ${liveCharges.size} orders; ${doubleCharged.length} orders charged twice${examples(doubleCharged)}`,
  };
  const balances: InvariantCheck = {
    name: 'the ledger balances (each payment = its order total; on a terminal order the provider agrees with billing on every charge and no hold is left; authorized = captured + voided + refunded + open)',
    holds: ledgerBreaks.length === 0 && authorizedTotal === byStatus('captured') + byStatus('voided') + byStatus('refunded') + byStatus('authorized'),
    detail:
      `${authorizedTotal} authorized = ${byStatus('captured')} captured + ${byStatus('voided')} voided + ${byStatus('refunded')} refunded + ${byStatus('authorized')} open; ` +
      `${ledgerBreaks.length} breaks${ledgerBreaks.length > 0 ? `: ${ledgerBreaks.slice(0, EXAMPLES).join('; ')}` : ''}`,
  };
  return { noDoubleCharge, balances, providerCaptured };
}

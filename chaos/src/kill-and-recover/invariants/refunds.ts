import { ORDER_CANCELLED, ORDER_PAID, ORDER_REFUNDED } from '@faultline/shared/contracts';
import type { InvariantCheck } from '../../chaos-report.js';
import type { AcceptedOrder } from '../order-load.js';
import type { OrderOutcome, SystemLedgers } from '../system-ledgers.js';
import { EXAMPLES } from './invariant-examples.js';

/** The paid orders the run's customers cancelled (PaidOrderCancellations), which must end refunded. */
export interface SuiteCancellations {
  /** Orders chosen for cancellation once paid. */
  chosen: readonly string[];
  /** Orders whose cancellation orders accepted (200). */
  cancelled: ReadonlySet<string>;
  /** Chosen orders not cancelled, and why. */
  notCancelled: ReadonlyMap<string, string>;
}

/** Whether the order was paid, then cancelled, then refunded, in that order of its stream. */
export function paidThenCancelled(outcome: OrderOutcome): boolean {
  const sequenceOf = (type: string) => outcome.stream.find((event) => event.type === type)?.sequence ?? Number.NaN;
  return sequenceOf(ORDER_PAID) < sequenceOf(ORDER_CANCELLED) && sequenceOf(ORDER_CANCELLED) < sequenceOf(ORDER_REFUNDED);
}

/**
 * (c) Every order the run cancelled after payment is refunded exactly once: orders recorded it
 * refunded, billing's payment and the provider's authorization are `refunded`, and the provider
 * carried out one refund for it (its request ledger: a retry with the same key replays, a second
 * key would be a second refund). No order the run did not cancel is refunded, and every order chosen
 * for cancellation was cancelled.
 */
export function judgeRefunds(
  outcomes: readonly { order: AcceptedOrder; outcome: OrderOutcome | undefined }[],
  ledgers: SystemLedgers,
  cancellations: SuiteCancellations,
): { check: InvariantCheck; counts: Record<string, number> } {
  const problems: string[] = [];
  const count = <T>(items: readonly T[], matches: (item: T) => boolean) => items.filter(matches).length;
  let refundedOnce = 0;
  for (const { order, outcome } of outcomes) {
    const { orderId } = order;
    const billingRefunded = count(ledgers.payments, (payment) => payment.orderId === orderId && payment.status === 'refunded');
    const providerRefunded = count(ledgers.charges, (charge) => charge.orderReference === orderId && charge.status === 'refunded');
    const providerRefunds = ledgers.providerRefunds.get(orderId) ?? 0;
    if (!cancellations.cancelled.has(orderId)) {
      if (outcome?.terminal === 'refunded' || billingRefunded + providerRefunded + providerRefunds > 0) {
        problems.push(`order ${orderId}: refunded (${outcome?.terminal ?? 'no status'}, billing ${billingRefunded}, provider ${providerRefunds}) but the run did not cancel it`);
      }
      continue;
    }
    const wrong: string[] = [];
    if (outcome?.terminal !== 'refunded') wrong.push(`orders has it ${outcome?.terminal ?? 'not terminal (refund pending)'}`);
    if (billingRefunded !== 1) wrong.push(`${billingRefunded} refunded payments in billing`);
    if (providerRefunded !== 1) wrong.push(`${providerRefunded} refunded authorizations at the provider`);
    if (providerRefunds !== 1) wrong.push(`${providerRefunds} refunds carried out by the provider`);
    if (wrong.length === 0) refundedOnce += 1;
    else problems.push(`order ${orderId}: ${wrong.join(', ')}`);
  }
  for (const [orderId, reason] of cancellations.notCancelled) problems.push(`order ${orderId}: chosen for cancellation, not cancelled (${reason})`);
  const doubleRefunds = [...ledgers.providerRefunds.values()].filter((refunds) => refunds > 1).length;
  const providerRefundTotal = [...ledgers.providerRefunds.values()].reduce((sum, refunds) => sum + refunds, 0);
  return {
    check: {
      name:
        "every order the run cancelled after payment is refunded exactly once (orders: refunded; billing's payment and the provider's authorization: refunded; " +
        'one refund carried out by the provider), and no other order is refunded',
      holds: problems.length === 0,
      detail:
        `${cancellations.chosen.length} chosen, ${cancellations.cancelled.size} cancelled by the run, ${refundedOnce} refunded exactly once; ` +
        `${providerRefundTotal} provider refunds, ${doubleRefunds} orders refunded twice; ${problems.length} problems` +
        (problems.length > 0 ? `: ${problems.slice(0, EXAMPLES).join('; ')}` : ''),
    },
    counts: {
      'orders chosen for cancellation': cancellations.chosen.length,
      'orders cancelled by the run': cancellations.cancelled.size,
      'refunded exactly once': refundedOnce,
      'provider refunds': providerRefundTotal,
      'double refunds': doubleRefunds,
    },
  };
}

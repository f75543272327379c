import type { InvariantCheck } from '../../chaos-report.js';
import { ORDER_EVENT_CONSUMERS, type OrderOutcome, type SystemLedgers } from '../system-ledgers.js';
import { EXAMPLES } from './invariant-examples.js';

/**
 * Every event in, once per consumer: each consumer's inbox holds every event produced for the run's
 * orders, and the saga ran one workflow per placed order; none applied an event twice or gave one
 * up (notifications, billing's copies, the ordering checkpoints, dead letters).
 */
export function judgeConsumers(
  ledgers: SystemLedgers,
  produced: number,
  placed: number,
): { processed: InvariantCheck; appliedOnce: InvariantCheck; applications: ApplicationVerdict } {
  const consumerGaps = ORDER_EVENT_CONSUMERS.filter(({ consumer }) => ledgers.processed[consumer] !== produced);
  const applications = judgeApplications([...ledgers.orders.values()], ledgers);
  const processed: InvariantCheck = {
    name: "each consumer processed every event produced for the run's orders (its inbox holds each once), and the saga ran one workflow per placed order",
    holds: consumerGaps.length === 0 && ledgers.workflows === placed,
    detail:
      `${produced} events produced; ` +
      ORDER_EVENT_CONSUMERS.map(({ consumer }) => `${consumer} ${ledgers.processed[consumer] ?? 0}`).join(', ') +
      `; ${ledgers.workflows} workflows for ${placed} placed orders`,
  };
  const appliedOnce: InvariantCheck = {
    name:
      "no consumer applied an event twice or gave one up: one notification per placed order, billing's copy of each order at the status and " +
      "sequence of its last placed/cancelled event, each consumer's ordering checkpoint at the order's last sequence, no dead letter of the run's orders",
    holds: applications.problems.length === 0,
    detail:
      `${applications.notifications} notifications for ${placed} placed orders; ${applications.billingCopies} billing copies; ` +
      `checkpoints at the last sequence: ${ORDER_EVENT_CONSUMERS.map(({ consumer }) => `${consumer} ${applications.checkpointsAtLast[consumer] ?? 0}`).join(', ')}; ` +
      `${ledgers.deadLetters.length} dead letters of the run's orders` +
      (applications.problems.length > 0 ? `: ${applications.problems.length} problems: ${applications.problems.slice(0, EXAMPLES).join('; ')}` : ''),
  };
  return { processed, appliedOnce, applications };
}

/** What the consumers' own tables say about how often each event was applied. */
export interface ApplicationVerdict {
  notifications: number;
  billingCopies: number;
  checkpointsAtLast: Record<string, number>;
  /** One line per thing wrong: a second notification, a wrong copy, a checkpoint behind, a dead letter. */
  problems: string[];
}

/** Billing's status for an order whose last event is `type`: the event's verb (`orders.order.paid` → `paid`). */
function billingStatusAfter(type: string): string {
  return type.slice(type.lastIndexOf('.') + 1);
}

function judgeApplications(orders: readonly OrderOutcome[], ledgers: SystemLedgers): ApplicationVerdict {
  const verdict: ApplicationVerdict = { notifications: 0, billingCopies: 0, checkpointsAtLast: {}, problems: [] };
  for (const order of orders) {
    const lastSequence = order.stream.at(-1)?.sequence ?? 0;
    if (order.placed) {
      const notifications = ledgers.notifications.get(order.orderId) ?? 0;
      verdict.notifications += notifications;
      if (notifications !== 1) verdict.problems.push(`order ${order.orderId}: ${notifications} notifications (placed applied ${notifications} times)`);
      // Billing applies every order event; its copy carries the status and sequence of the last one.
      const last = order.stream.at(-1);
      const expected = { status: last === undefined ? 'none' : billingStatusAfter(last.type), version: last?.sequence ?? 0 };
      const copy = ledgers.billingOrders.get(order.orderId);
      if (copy !== undefined) verdict.billingCopies += 1;
      if (copy === undefined) verdict.problems.push(`order ${order.orderId}: no copy in billing_orders`);
      else if (copy.status !== expected.status || copy.version !== expected.version) {
        verdict.problems.push(`order ${order.orderId}: billing's copy ${copy.status} at sequence ${copy.version}, expected ${expected.status} at ${expected.version}`);
      }
    }
    for (const { consumer } of ORDER_EVENT_CONSUMERS) {
      const checkpoint = ledgers.checkpoints[consumer]?.get(order.orderId);
      if (checkpoint === lastSequence) verdict.checkpointsAtLast[consumer] = (verdict.checkpointsAtLast[consumer] ?? 0) + 1;
      else verdict.problems.push(`order ${order.orderId}: ${consumer}'s checkpoint at ${checkpoint ?? 'none'}, its last sequence is ${lastSequence}`);
    }
  }
  for (const letter of ledgers.deadLetters) verdict.problems.push(`order ${letter.orderId}: dead-lettered by ${letter.consumer} (${letter.reason})`);
  return verdict;
}

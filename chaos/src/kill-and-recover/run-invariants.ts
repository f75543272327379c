import { ORDER_EVENTS_TOPIC } from '@faultline/shared/contracts';
import type { InvariantCheck } from '../chaos-report.js';
import type { RelayTakeOver } from './kill-schedule.js';
import type { AcceptedOrder } from './order-load.js';
import { ORDER_EVENT_CONSUMERS, type OrderOutcome, type SystemLedgers } from './system-ledgers.js';
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
 * The invariants over what the ledgers say about the run's accepted orders. Pure, so a failing run
 * can be re-judged from the numbers alone. `healedAt` is when the last fault was healed (or the last
 * order accepted, if later).
 *
 * The run injects no payment declines (the provider declines only while its `decline` fault is
 * switched on, which this run never does), so every accepted order must end paid: a run where orders end rejected or cancelled has lost money
 * somewhere, even when every ledger agrees with the others.
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

  // 5. Every event out, on the topic itself, each order's in sequence order.
  const unpublished = Object.values(ledgers.unpublishedOfRun).reduce((sum, count) => sum + count, 0);
  const topic = judgeTopic(outcomes.flatMap(({ outcome }) => (outcome ? [outcome] : [])), ledgers);

  // 6. Every event in, once per consumer; 7. none applied twice or given up.
  const produced = [...ledgers.orders.values()].reduce((sum, outcome) => sum + outcome.stream.length, 0);
  const placed = [...ledgers.orders.values()].filter((outcome) => outcome.placed).length;
  const consumerGaps = ORDER_EVENT_CONSUMERS.filter(({ consumer }) => ledgers.processed[consumer] !== produced);
  const applications = judgeApplications([...ledgers.orders.values()], ledgers);
  const examples = (ids: string[]) => (ids.length > 0 ? `, e.g. ${ids.slice(0, EXAMPLES).join(', ')}` : '');
  const notPaid = outcomes.filter(({ outcome }) => outcome?.terminal !== 'paid').map(({ order }) => order.orderId);

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
      name: 'every accepted order is paid (the run declines no card), and captured payments (billing) = paid orders',
      holds: notPaid.length === 0 && paidWithoutCapture.length === 0 && capturedNotPaid.length === 0 && captured.length === paid.size,
      detail:
        `${paid.size} of ${accepted.length} accepted orders paid (${notPaid.length} not: ${rejected} rejected, ${cancelled} cancelled, ${notTerminal.length} not terminal${examples(notPaid)}); ` +
        `${captured.length} captured; ${paidWithoutCapture.length} paid without exactly one capture, ` +
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
      name: `every event of the run is published: no outbox row left, each event on ${ORDER_EVENTS_TOPIC}, each order's events on one partition in sequence order`,
      holds: unpublished === 0 && topic.missing.length === 0 && topic.unknown.length === 0 && topic.split.length === 0 && topic.outOfOrder.length === 0,
      detail:
        (Object.entries(ledgers.unpublishedOfRun)
          .map(([database, count]) => `${database}: ${count} of the run unpublished (${ledgers.unpublishedTotal[database] ?? 0} in the table, other suites' included)`)
          .join('; ') || 'no service database has an outbox') +
        `; on the topic: ${topic.records} records of ${produced} events, ${topic.missing.length} events missing${examples(topic.missing)}, ` +
        `${topic.unknown.length} records the event store does not hold${examples(topic.unknown)}, ` +
        `${topic.split.length} orders on more than one partition${examples(topic.split)}, ` +
        `${topic.outOfOrder.length} events first written before their predecessor${examples(topic.outOfOrder)}; ` +
        `${topic.republished} re-publications of an event already on the topic (allowed: the relay's at-least-once)`,
    },
    {
      name: "each consumer processed every event produced for the run's orders (its inbox holds each once), and the saga ran one workflow per placed order",
      holds: consumerGaps.length === 0 && ledgers.workflows === placed,
      detail:
        `${produced} events produced; ` +
        ORDER_EVENT_CONSUMERS.map(({ consumer }) => `${consumer} ${ledgers.processed[consumer] ?? 0}`).join(', ') +
        `; ${ledgers.workflows} workflows for ${placed} placed orders`,
    },
    {
      name:
        "no consumer applied an event twice or gave one up: one notification per placed order, billing's copy of each order at the status and " +
        "sequence of its last placed/cancelled event, each consumer's ordering checkpoint at the order's last sequence, no dead letter of the run's orders",
      holds: applications.problems.length === 0,
      detail:
        `${applications.notifications} notifications for ${placed} placed orders; ${applications.billingCopies} billing copies; ` +
        `checkpoints at the last sequence: ${ORDER_EVENT_CONSUMERS.map(({ consumer }) => `${consumer} ${applications.checkpointsAtLast[consumer] ?? 0}`).join(', ')}; ` +
        `${ledgers.deadLetters.length} dead letters of the run's orders` +
        (applications.problems.length > 0 ? `: ${applications.problems.length} problems: ${applications.problems.slice(0, EXAMPLES).join('; ')}` : ''),
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
    'events produced': produced,
    'records on the topic': topic.records,
    'events missing from the topic': topic.missing.length,
    're-published records': topic.republished,
    'events first written before their predecessor': topic.outOfOrder.length,
    ...Object.fromEntries(ORDER_EVENT_CONSUMERS.map(({ consumer }) => [`${consumer} processed`, ledgers.processed[consumer] ?? 0])),
    notifications: applications.notifications,
    'billing copies': applications.billingCopies,
    'dead letters of the run': ledgers.deadLetters.length,
    workflows: ledgers.workflows,
    'last terminal after heal (s)': Number(slowestAfterHealS.toFixed(1)),
    'slowest accepted→terminal (s)': Number(slowestOrderS.toFixed(1)),
  };
  return { invariants, counts };
}

/** What the topic says about the run's events, against the event store's streams. */
interface TopicVerdict {
  /** Records of the run's orders on the topic, re-publications included. */
  records: number;
  /** Event ids in the event store with no record on the topic. */
  missing: string[];
  /** Event ids on the topic that the event store does not hold for that order. */
  unknown: string[];
  /** Orders whose records are on more than one partition. */
  split: string[];
  /** `<order>#<sequence>`: its first record is at a lower offset than its predecessor's first. */
  outOfOrder: string[];
  /** Records of an event that was already on the topic (the relay published it again after a take-over or a lost acknowledgement). */
  republished: number;
}

function judgeTopic(orders: readonly OrderOutcome[], ledgers: SystemLedgers): TopicVerdict {
  const verdict: TopicVerdict = { records: 0, missing: [], unknown: [], split: [], outOfOrder: [], republished: 0 };
  for (const order of orders) {
    const records = ledgers.published.get(order.orderId) ?? [];
    verdict.records += records.length;
    const stored = new Set(order.stream.map((event) => event.eventId));
    const onTopic = new Set(records.map((record) => record.eventId));
    verdict.missing.push(...order.stream.filter((event) => !onTopic.has(event.eventId)).map((event) => event.eventId));
    verdict.unknown.push(...[...onTopic].filter((eventId) => !stored.has(eventId)));
    verdict.republished += records.length - onTopic.size;
    if (new Set(records.map((record) => record.partition)).size > 1) {
      // Offsets of two partitions do not compare: the order check means nothing for this order.
      verdict.split.push(order.orderId);
      continue;
    }
    const firstOffset = new Map<number, bigint>();
    for (const record of records) {
      const known = firstOffset.get(record.sequence);
      if (known === undefined || record.offset < known) firstOffset.set(record.sequence, record.offset);
    }
    for (const { sequence } of order.stream) {
      const at = firstOffset.get(sequence);
      const before = firstOffset.get(sequence - 1);
      if (at !== undefined && before !== undefined && at < before) verdict.outOfOrder.push(`${order.orderId}#${sequence}`);
    }
  }
  return verdict;
}

/** What the consumers' own tables say about how often each event was applied. */
interface ApplicationVerdict {
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

/**
 * The relay's hand-over (article 4): once the orders replica holding the advisory lock is killed,
 * the other replica of the run must take the lock within the bound. A lock held by a process
 * outside the run means the hand-over was never exercised: that fails too, saying so.
 */
export function judgeRelayTakeOver(takeOver: RelayTakeOver): InvariantCheck {
  const name = `the surviving orders replica takes the relay lock within ${takeOver.withinMs / 1000} s of the leader's kill -9`;
  if (takeOver.leader === undefined) {
    return {
      name,
      holds: false,
      detail:
        `neither of the run's orders replicas reported outbox_relay_leader 1 within ${takeOver.withinMs / 1000} s before the kill, so the ` +
        'take-over was not exercised: another orders process on this machine holds the lock (stop it and run again), or neither relay runs',
    };
  }
  return {
    name,
    holds: takeOver.tookOverMs !== undefined && takeOver.tookOverMs <= takeOver.withinMs,
    detail:
      takeOver.tookOverMs === undefined
        ? `${takeOver.leader} killed; ${takeOver.survivor} did not report outbox_relay_leader 1 within ${takeOver.withinMs / 1000} s`
        : `${takeOver.leader} killed; ${takeOver.survivor} took the lock after ${(takeOver.tookOverMs / 1000).toFixed(1)} s`,
  };
}

import { ORDER_CANCELLED, ORDER_EVENTS_TOPIC, ORDER_PAID, ORDER_PLACED, ORDER_REFUNDED, ORDER_REJECTED } from '@faultline/shared/contracts';
import type { InvariantCheck } from '../chaos-report.js';
import type { RelayTakeOver } from './kill-schedule.js';
import { chaosEmailAddressOf, type ReceivedEmail } from './mailbox.js';
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
  /**
   * The names of the invariants over the e-mails MailDev received. Notifications sends them after
   * the events, so the checker waits for them longer than for the rest (see kill-and-recover.ts).
   */
  emailInvariants: string[];
}

/** The paid orders the run's customers cancelled (PaidOrderCancellations), which must end refunded. */
export interface SuiteCancellations {
  /** Orders chosen for cancellation once paid. */
  chosen: readonly string[];
  /** Orders whose cancellation orders accepted (200). */
  cancelled: ReadonlySet<string>;
  /** Chosen orders not cancelled, and why. */
  notCancelled: ReadonlyMap<string, string>;
}

const NO_CANCELLATIONS: SuiteCancellations = { chosen: [], cancelled: new Set(), notCancelled: new Map() };

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
  // A refunded order is settled only when the run's customer cancelled it after it was paid.
  const settledAsAsked = (orderId: string, outcome: OrderOutcome | undefined) =>
    outcome?.terminal === 'paid' || (outcome?.terminal === 'refunded' && cancellations.cancelled.has(orderId) && paidThenCancelled(outcome));
  const notPaid = outcomes.filter(({ order, outcome }) => !settledAsAsked(order.orderId, outcome)).map(({ order }) => order.orderId);
  const refundedUnasked = outcomes.filter(({ order, outcome }) => outcome?.terminal === 'refunded' && !settledAsAsked(order.orderId, outcome)).length;
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
    ...emails.counts,
    ...refunds.counts,
    'last terminal after heal (s)': Number(slowestAfterHealS.toFixed(1)),
    'slowest accepted→terminal (s)': Number(slowestOrderS.toFixed(1)),
  };
  return { invariants, counts, emailInvariants: [emails.arrived.name, emails.once.name] };
}

/** Whether the order was paid, then cancelled, then refunded, in that order of its stream. */
function paidThenCancelled(outcome: OrderOutcome): boolean {
  const sequenceOf = (type: string) => outcome.stream.find((event) => event.type === type)?.sequence ?? Number.NaN;
  return sequenceOf(ORDER_PAID) < sequenceOf(ORDER_CANCELLED) && sequenceOf(ORDER_CANCELLED) < sequenceOf(ORDER_REFUNDED);
}

/** The kinds of e-mail notifications sends, and the order event each one is about (a receipt is about billing's capture). */
const EMAIL_KIND_OF_EVENT = new Map([
  [ORDER_PLACED, 'order-placed'],
  [ORDER_REJECTED, 'order-rejected'],
  [ORDER_CANCELLED, 'order-cancelled'],
  [ORDER_REFUNDED, 'order-refunded'],
]);
const PAYMENT_RECEIPT = 'payment-receipt';

/** Each kind's subject, naming the order by the first 8 characters of its id (notifications' email-templates). */
const SUBJECTS: [RegExp, string][] = [
  [/^We have your order (\S+)/, 'order-placed'],
  [/^Receipt for order (\S+)/, PAYMENT_RECEIPT],
  [/^Your order (\S+) is cancelled/, 'order-cancelled'],
  [/^Your order (\S+) could not be completed/, 'order-rejected'],
  [/^Your refund for order (\S+)/, 'order-refunded'],
];

/** The event id in notifications' Message-ID `<eventId@notifications.faultline>`; undefined for any other. */
export function eventIdOfMessageId(messageId: string | undefined): string | undefined {
  return /^<?([^@<>\s]+)@notifications\.faultline>?$/.exec(messageId?.trim() ?? '')?.[1];
}

/** One e-mail the run's events call for: one per event, with that event's Message-ID. */
interface ExpectedEmail {
  eventId: string;
  kind: string;
  orderId: string;
  address: string;
}

/**
 * (a) Every e-mail the events call for arrived, with the event's Message-ID, at the order's customer;
 * (b) none arrived twice except as a resend. A second message with the same Message-ID is the sender's
 * at-least-once (a crash between SMTP's acceptance and the commit) and is counted; two messages of one
 * kind for one order with different Message-IDs, or one no event of the run explains, is an e-mail
 * sent twice as two e-mails, and fails.
 */
function judgeEmails(accepted: readonly AcceptedOrder[], ledgers: SystemLedgers): { arrived: InvariantCheck; once: InvariantCheck; counts: Record<string, number> } {
  const expected = new Map<string, ExpectedEmail>();
  for (const order of accepted) {
    const address = chaosEmailAddressOf(order.customerId);
    for (const event of ledgers.orders.get(order.orderId)?.stream ?? []) {
      const kind = EMAIL_KIND_OF_EVENT.get(event.type);
      if (kind !== undefined) expected.set(event.eventId, { eventId: event.eventId, kind, orderId: order.orderId, address });
    }
    for (const eventId of ledgers.receipts.get(order.orderId) ?? []) expected.set(eventId, { eventId, kind: PAYMENT_RECEIPT, orderId: order.orderId, address });
  }
  const byShortId = new Map(accepted.map((order) => [order.orderId.slice(0, 8), order.orderId]));
  const arrivedAt = new Map<string, ReceivedEmail[]>();
  const unexplained: string[] = [];
  const messageIdsOf = new Map<string, Set<string>>();
  for (const email of ledgers.emails) {
    const eventId = eventIdOfMessageId(email.messageId);
    const known = eventId === undefined ? undefined : expected.get(eventId);
    if (known && eventId !== undefined) arrivedAt.set(eventId, [...(arrivedAt.get(eventId) ?? []), email]);
    else unexplained.push(`"${email.subject}" (${email.messageId ?? 'no Message-ID'})`);
    // Kind and order from the event when the Message-ID names one, from the subject otherwise.
    const subject = SUBJECTS.map(([pattern, kind]) => ({ kind, shortId: pattern.exec(email.subject)?.[1] })).find(({ shortId }) => shortId !== undefined);
    const kind = known?.kind ?? subject?.kind;
    const orderId = known?.orderId ?? byShortId.get(subject?.shortId ?? '');
    if (kind !== undefined && orderId !== undefined) {
      const key = `${kind} of order ${orderId}`;
      messageIdsOf.set(key, (messageIdsOf.get(key) ?? new Set()).add(email.messageId ?? '(none)'));
    }
  }
  const missing = [...expected.values()].filter((email) => !arrivedAt.has(email.eventId)).map((email) => `${email.kind} of order ${email.orderId}`);
  const misaddressed = [...expected.values()]
    .filter((email) => (arrivedAt.get(email.eventId) ?? []).some((received) => !received.to.includes(email.address)))
    .map((email) => `${email.kind} of order ${email.orderId}`);
  const resends = [...arrivedAt.values()].reduce((sum, emails) => sum + emails.length - 1, 0);
  const doubled = [...messageIdsOf].filter(([, ids]) => ids.size > 1).map(([key, ids]) => `${key}: ${ids.size} Message-IDs`);
  const examples = (items: string[]) => (items.length > 0 ? ` (e.g. ${items.slice(0, EXAMPLES).join('; ')})` : '');
  const perKind = [...new Set([...EMAIL_KIND_OF_EVENT.values(), PAYMENT_RECEIPT])]
    .map((kind) => `${kind} ${[...expected.values()].filter((email) => email.kind === kind && arrivedAt.has(email.eventId)).length}/${[...expected.values()].filter((email) => email.kind === kind).length}`)
    .join(', ');
  return {
    arrived: {
      name: "every e-mail the run's events call for reached MailDev with the event's Message-ID, addressed to the order's customer (placed, receipt per capture, rejected, cancelled, refunded)",
      holds: missing.length === 0 && misaddressed.length === 0,
      detail:
        `${expected.size - missing.length} of ${expected.size} expected e-mails arrived (${perKind}); ${missing.length} missing${examples(missing)}, ` +
        `${misaddressed.length} to another address${examples(misaddressed)}; ${ledgers.emails.length} received for the run's addresses`,
    },
    once: {
      name: 'no e-mail was sent twice as two e-mails: a second copy carries the same Message-ID (a resend, counted), never a new one',
      holds: doubled.length === 0 && unexplained.length === 0,
      detail:
        `${resends} resends (same Message-ID, allowed); ${doubled.length} kinds of one order with more than one Message-ID${examples(doubled)}; ` +
        `${unexplained.length} e-mails no event of the run explains${examples(unexplained)}`,
    },
    counts: {
      'e-mails expected': expected.size,
      'e-mails received': ledgers.emails.length,
      'e-mails missing': missing.length,
      'e-mail resends': resends,
      'e-mails doubled': doubled.length,
      'e-mails unexplained': unexplained.length,
    },
  };
}

/**
 * (c) Every order the run cancelled after payment is refunded exactly once: orders recorded it
 * refunded, billing's payment and the provider's authorization are `refunded`, and the provider
 * carried out one refund for it (its request ledger: a retry with the same key replays, a second
 * key would be a second refund). No order the run did not cancel is refunded, and every order chosen
 * for cancellation was cancelled.
 */
function judgeRefunds(
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

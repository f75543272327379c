import { ORDER_CANCELLED, ORDER_PAID, ORDER_PLACED, ORDER_REFUNDED, ORDER_REJECTED } from '@faultline/shared/contracts';
import type { OrderOutcome } from '../system-ledgers.js';
import type { LedgerDatabases } from './ledger-databases.js';

/** Each order of the run as the orders event store tells it: its stream, and where and when it ended. */
export async function readOrders(databases: LedgerDatabases, orderIds: string[]): Promise<Map<string, OrderOutcome>> {
  const { rows } = await databases.query<{ stream_id: string; version: number; event_id: string; type: string; occurred_at: Date }>(
    'orders',
    `SELECT stream_id, version, event_id, type, occurred_at FROM events
      WHERE stream_type = 'order' AND stream_id = ANY($1::text[]) ORDER BY stream_id, version`,
    [orderIds],
  );
  const streams = new Map<string, typeof rows>();
  for (const row of rows) streams.set(row.stream_id, [...(streams.get(row.stream_id) ?? []), row]);
  const outcomes = new Map<string, OrderOutcome>();
  for (const [orderId, events] of streams) {
    const last = (type: string) => events.filter((event) => event.type === type).at(-1)?.occurred_at;
    const paid = last(ORDER_PAID);
    const rejected = last(ORDER_REJECTED);
    const cancelled = last(ORDER_CANCELLED);
    const refunded = last(ORDER_REFUNDED);
    // A paid order that is cancelled ends only when its refund is recorded.
    const refundPending = paid !== undefined && cancelled !== undefined && refunded === undefined;
    const terminal = refunded ? 'refunded' : refundPending ? undefined : paid ? 'paid' : rejected ? 'rejected' : cancelled ? 'cancelled' : undefined;
    outcomes.set(orderId, {
      orderId,
      stream: events.map((event) => ({ sequence: event.version, eventId: event.event_id, type: event.type })),
      placed: events.some((event) => event.type === ORDER_PLACED),
      terminal,
      terminalAt: refunded ?? (refundPending ? undefined : (paid ?? rejected ?? cancelled)),
    });
  }
  return outcomes;
}

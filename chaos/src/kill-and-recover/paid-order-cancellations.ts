import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CustomerSession } from './customer-session.js';
import type { AcceptedOrder } from './order-load.js';

/** The share of the run's orders the customers cancel once they are paid, so refunds run under the kills too. */
export const CANCELLED_PERCENT = 10;
/** Between two reads of a watched order, and between two tries of a cancellation that failed. */
const POLL_MS = 1_000;
/** One request's limit: a request hung on a cut link is abandoned and sent again (the cancel with the same key). */
const REQUEST_TIMEOUT_MS = 10_000;
/** The statuses from which the customer can no longer cancel a paid order: the run will not get its refund. */
const ENDED_UNPAID = new Set(['rejected', 'cancelled', 'refunded']);

/**
 * Whether the customers cancel this order once it is paid: about CANCELLED_PERCENT of the orders,
 * decided by a hash of the order id alone, so the same order is always chosen (or never), whichever
 * client placed it and whenever it was paid.
 */
export function chosenForCancellation(orderId: string): boolean {
  return createHash('sha256').update(orderId).digest().readUInt32BE(0) % 100 < CANCELLED_PERCENT;
}

/**
 * Customers who change their mind: each chosen order is watched (`GET /orders/{id}` with its
 * customer's token) until it is paid, then cancelled (`POST /orders/{id}/cancel`), which refunds it.
 * Like the load, a cancellation that fails (refused, cut, timed out, 5xx, 409 while the order
 * changes, 429) is sent again with the SAME Idempotency-Key, so a cancellation answered after a crash
 * is one cancellation. It runs beside the load, so refunds happen while the faults do.
 */
export class PaidOrderCancellations {
  /** The orders chosen for cancellation, in the order they were accepted. */
  readonly chosen: string[] = [];
  /** The orders orders answered 200 to the cancellation of, with when (epoch ms). */
  readonly cancelled = new Map<string, number>();
  /** Chosen orders not cancelled, and why (the order ended without being paid, the bound passed, a 4xx). */
  readonly notCancelled = new Map<string, string>();
  /** Requests sent again (reads and cancellations). */
  retries = 0;
  private readonly watching: Promise<void>[] = [];
  private deadline = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(private readonly ordersUrls: () => string[]) {}

  /** Watches `order` when it is one of the chosen: OrderLoad's `onAccepted`. */
  watch(order: AcceptedOrder, customer: CustomerSession): void {
    if (!chosenForCancellation(order.orderId)) return;
    this.chosen.push(order.orderId);
    this.watching.push(
      this.cancelOncePaid(order.orderId, customer).catch((error: unknown) => {
        this.notCancelled.set(order.orderId, error instanceof Error ? error.message : String(error));
      }),
    );
  }

  /** Resolves once every chosen order is cancelled or given up; an order not cancelled within `withinMs` from now is given up. */
  async settle(withinMs: number): Promise<void> {
    this.deadline = Date.now() + withinMs;
    await Promise.all(this.watching);
  }

  /** Ends every watch where it is (the run failed half-way). */
  stop(): void {
    this.stopped = true;
  }

  private async cancelOncePaid(orderId: string, customer: CustomerSession): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const answer = await this.send(customer, 'GET', `/orders/${orderId}`, attempt);
      if (answer.status === 200) {
        const { status } = JSON.parse(answer.text) as { status: string };
        if (status === 'paid') break;
        if (ENDED_UNPAID.has(status)) throw new Error(`order ${orderId} ended ${status} before it was paid`);
      } else if (isClientError(answer.status)) {
        throw new Error(`GET /orders/${orderId} answered ${answer.status}: ${answer.text}`);
      }
      // Not paid yet (or not readable yet: 404 while the projection catches up is retried too).
      await this.wait(orderId, `GET /orders/{id} showed it paid (last answer ${answer.status}: ${answer.text.slice(0, 200)})`);
    }
    const idempotencyKey = randomUUID();
    const body = JSON.stringify({ reason: 'chaos: the customer cancels the paid order' });
    for (let attempt = 1; ; attempt++) {
      const answer = await this.send(customer, 'POST', `/orders/${orderId}/cancel`, attempt, { idempotencyKey, body });
      if (answer.status === 200) {
        this.cancelled.set(orderId, Date.now());
        return;
      }
      if (isClientError(answer.status) && answer.status !== 409) throw new Error(`POST /orders/${orderId}/cancel answered ${answer.status}: ${answer.text}`);
      this.retries += 1;
      await this.wait(orderId, `its cancellation was accepted (last answer ${answer.status}: ${answer.text.slice(0, 200)})`);
    }
  }

  private async wait(orderId: string, what: string): Promise<void> {
    if (this.stopped) throw new Error('the run was stopped');
    if (Date.now() + POLL_MS > this.deadline) throw new Error(`order ${orderId}: the bound passed before ${what}`);
    await sleep(POLL_MS);
  }

  /** One request with the customer's token; a 401 makes the next one sign in again. Network failures answer status 0. */
  private async send(
    customer: CustomerSession,
    method: 'GET' | 'POST',
    path: string,
    spread: number,
    write?: { idempotencyKey: string; body: string },
  ): Promise<{ status: number; text: string }> {
    const urls = this.ordersUrls();
    const url = urls[spread % urls.length];
    if (url === undefined) throw new Error('no orders replica to send to');
    const token = await customer.token().catch(() => undefined);
    if (token === undefined) return { status: 0, text: 'the sign-in failed' };
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (write) Object.assign(headers, { 'content-type': 'application/json', 'idempotency-key': write.idempotencyKey });
    const answer = await fetch(`${url}${path}`, { method, headers, body: write?.body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }).then(
      async (response) => ({ status: response.status, text: await response.text() }),
      (error: unknown) => ({ status: 0, text: error instanceof Error ? error.message : String(error) }),
    );
    if (answer.status === 401) customer.refused(token);
    return answer;
  }
}

/** A 4xx no retry fixes; 401 (a new sign-in follows), 404 (the read side catching up) and 429 (over the rate) are retried. */
function isClientError(status: number): boolean {
  return status >= 400 && status < 500 && ![401, 404, 429].includes(status);
}

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CustomerSession } from './customer-session.js';

/** Between two tries of one order while a service is down: fast enough to see the recovery, gentle on 2 cores. */
const RETRY_DELAY_MS = 250;
/** One request's limit: a request hung on a cut link is abandoned and retried with the same key. */
const REQUEST_TIMEOUT_MS = 10_000;
/**
 * 401s one order may get before the load gives up: each is followed by a fresh sign-in, so more
 * than a few mean the services do not trust the tokens of the run's identity provider at all.
 */
const MAX_REFUSED_TOKENS = 5;
/** The longest `Retry-After` of a 429 the load waits out before trying again. */
const MAX_RATE_LIMIT_WAIT_MS = 10_000;

export interface AcceptedOrder {
  orderId: string;
  /** Who placed it: the customer whose token it was placed with. */
  customerId: string;
  totalCents: number;
  /** When the orders service answered 201 (epoch ms). */
  acceptedAt: number;
  /** How many tries it took (1 when nothing was in the way). */
  attempts: number;
}

export interface OrderLoadOptions {
  orders: number;
  clients: number;
  ordersPerSecond: number;
  /**
   * Who places the orders: client i as customer i (modulo their number), with that customer's token.
   * One customer per client keeps each under orders' 60 writes a minute per caller (ADR 0016) at
   * either profile's pace, also while one replica takes all of them.
   */
  customers: CustomerSession[];
  /** The orders replicas; a failed try moves to the next one, as a load balancer would. */
  ordersUrls: () => string[];
  /** Called with each order as it is accepted, with the customer who placed it (the paid-order cancellations watch them). */
  onAccepted?: (order: AcceptedOrder, customer: CustomerSession) => void;
}

/**
 * Customers placing orders at a steady rate while the faults happen, each in their own name with
 * their own token. A request that fails (refused, cut, timed out, 5xx, 429) is sent again with the
 * SAME Idempotency-Key until it is accepted: that is the client's side of the contract, and it is
 * what makes "every accepted order" well defined after a crash in the middle of a request (article 3).
 * A 401 makes the customer sign in again first; a sign-in that fails is tried again like a request.
 */
export class OrderLoad {
  readonly accepted: AcceptedOrder[] = [];
  retries = 0;
  /** Answers 401 (the token refused), each followed by a new sign-in. */
  refusedTokens = 0;
  /** Sign-ins that failed while the load needed a token (the identity provider or its database down). */
  failedSignIns = 0;
  private started = 0;
  private stopped = false;

  constructor(private readonly options: OrderLoadOptions) {}

  async run(): Promise<void> {
    const { orders, clients, ordersPerSecond, customers } = this.options;
    const startedAt = performance.now();
    const client = async (clientIndex: number) => {
      const customer = customers[clientIndex % customers.length];
      if (customer === undefined) throw new Error('the load needs at least one customer');
      for (;;) {
        if (this.stopped) return;
        const index = this.started;
        if (index >= orders) return;
        this.started += 1;
        // Paced from the start of the run, not from the previous answer: the offered load stays
        // steady while a fault slows answers down.
        const due = startedAt + (index * 1_000) / ordersPerSecond;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        const order = await this.place(customer, clientIndex + index);
        this.accepted.push(order);
        this.options.onAccepted?.(order, customer);
      }
    };
    await Promise.all(Array.from({ length: clients }, (_, index) => client(index)));
  }

  /** Ends the load where it is (the run failed half-way): no new order, no further try of one. */
  stop(): void {
    this.stopped = true;
  }

  private async place(customer: CustomerSession, spread: number): Promise<AcceptedOrder> {
    const idempotencyKey = randomUUID();
    const quantity = 1 + (spread % 3);
    const unitPriceCents = 1_500 + (spread % 7) * 100;
    const body = JSON.stringify({
      customerId: customer.customerId,
      currency: 'EUR',
      items: [{ sku: 'chaos-ticket', quantity, unitPriceCents }],
    });
    let refused = 0;
    for (let attempt = 1; ; attempt++) {
      if (this.stopped) throw new Error('the load was stopped');
      const urls = this.options.ordersUrls();
      const url = urls[(spread + attempt) % urls.length];
      if (url === undefined) throw new Error('no orders replica to send to');
      const token = await customer.token().catch(() => undefined);
      if (token === undefined) {
        this.failedSignIns += 1;
        this.retries += 1;
        await sleep(RETRY_DELAY_MS);
        continue;
      }
      const answer = await fetch(`${url}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey, authorization: `Bearer ${token}` },
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      }).then(
        async (response) => ({ status: response.status, retryAfter: response.headers.get('retry-after'), text: await response.text() }),
        (error: unknown) => ({ status: 0, retryAfter: null, text: error instanceof Error ? error.message : String(error) }),
      );
      if (answer.status === 200 || answer.status === 201) {
        const { orderId } = JSON.parse(answer.text) as { orderId: string };
        return { orderId, customerId: customer.customerId, totalCents: quantity * unitPriceCents, acceptedAt: Date.now(), attempts: attempt };
      }
      if (answer.status === 401) {
        this.refusedTokens += 1;
        refused += 1;
        if (refused > MAX_REFUSED_TOKENS) throw new Error(`POST ${url}/orders refused ${refused} tokens of ${customer.customerId} for one order, each fresh from a sign-in: ${answer.text}`);
        customer.refused(token);
      }
      // 401: the token expired or was refused, the next try signs in again; 409: the same key is
      // still in flight on the other replica (or a crashed one); 429: over the caller's rate limit.
      // Anything else in 4xx means this client sent something wrong, which no retry fixes.
      if (answer.status >= 400 && answer.status < 500 && ![401, 409, 429].includes(answer.status)) {
        throw new Error(`POST ${url}/orders answered ${answer.status}: ${answer.text}`);
      }
      this.retries += 1;
      await sleep(answer.status === 429 ? retryAfterMs(answer.retryAfter) : RETRY_DELAY_MS);
    }
  }
}

/** A 429's `Retry-After` in milliseconds, within MAX_RATE_LIMIT_WAIT_MS; RETRY_DELAY_MS when it has none. */
function retryAfterMs(header: string | null): number {
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1_000, MAX_RATE_LIMIT_WAIT_MS) : RETRY_DELAY_MS;
}

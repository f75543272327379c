import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

/** Between two tries of one order while a service is down: fast enough to see the recovery, gentle on 2 cores. */
const RETRY_DELAY_MS = 250;
/** One request's limit: a request hung on a cut link is abandoned and retried with the same key. */
const REQUEST_TIMEOUT_MS = 10_000;

export interface AcceptedOrder {
  orderId: string;
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
  /** The orders replicas; a failed try moves to the next one, as a load balancer would. */
  ordersUrls: () => string[];
}

/**
 * Customers placing orders at a steady rate while the faults happen. A request that fails (refused,
 * cut, timed out, 5xx) is sent again with the SAME Idempotency-Key until it is accepted: that is the
 * client's side of the contract, and it is what makes "every accepted order" well defined after a
 * crash in the middle of a request (article 3).
 */
export class OrderLoad {
  readonly accepted: AcceptedOrder[] = [];
  retries = 0;
  private started = 0;

  constructor(private readonly options: OrderLoadOptions) {}

  async run(): Promise<void> {
    const { orders, clients, ordersPerSecond } = this.options;
    const startedAt = performance.now();
    const client = async (clientIndex: number) => {
      for (;;) {
        const index = this.started;
        if (index >= orders) return;
        this.started += 1;
        // Paced from the start of the run, not from the previous answer: the offered load stays
        // steady while a fault slows answers down.
        const due = startedAt + (index * 1_000) / ordersPerSecond;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        this.accepted.push(await this.place(clientIndex + index));
      }
    };
    await Promise.all(Array.from({ length: clients }, (_, index) => client(index)));
  }

  private async place(spread: number): Promise<AcceptedOrder> {
    const idempotencyKey = randomUUID();
    const quantity = 1 + (spread % 3);
    const unitPriceCents = 1_500 + (spread % 7) * 100;
    const body = JSON.stringify({
      customerId: randomUUID(),
      currency: 'EUR',
      items: [{ sku: 'chaos-ticket', quantity, unitPriceCents }],
    });
    for (let attempt = 1; ; attempt++) {
      const urls = this.options.ordersUrls();
      const url = urls[(spread + attempt) % urls.length];
      if (url === undefined) throw new Error('no orders replica to send to');
      const answer = await fetch(`${url}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      }).then(
        async (response) => ({ status: response.status, text: await response.text() }),
        (error: unknown) => ({ status: 0, text: error instanceof Error ? error.message : String(error) }),
      );
      if (answer.status === 200 || answer.status === 201) {
        const { orderId } = JSON.parse(answer.text) as { orderId: string };
        return { orderId, totalCents: quantity * unitPriceCents, acceptedAt: Date.now(), attempts: attempt };
      }
      // 409: the same key is still in flight on the other replica (or a crashed one); anything
      // else in 4xx means this client sent something wrong, which no retry fixes.
      if (answer.status >= 400 && answer.status < 500 && answer.status !== 409) {
        throw new Error(`POST ${url}/orders answered ${answer.status}: ${answer.text}`);
      }
      this.retries += 1;
      await sleep(RETRY_DELAY_MS);
    }
  }
}

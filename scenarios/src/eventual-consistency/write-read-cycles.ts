import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { CONSISTENCY_TOKEN_HEADER } from '@faultline/shared/consistency';
import type { Customer } from '../identity.js';

/** Sessions working at once: 10 keeps a correct-mode run (each read waits ~0.5 s) to a few seconds. */
const SESSIONS = 10;

/** What one read after a write showed, compared with what the write had just written. */
export interface CycleResult {
  written: number;
  /** The version the read showed; 0 when it answered 404 (the order "does not exist" yet). */
  read: number;
  /** The read's `Consistency` header: eventual, current or source-of-truth. */
  consistency: string;
}

/**
 * `2 × orders` write→read cycles through orders' HTTP API, in `SESSIONS` sessions side by side,
 * each a customer of its own from `newCustomer`.
 * First every session places its orders, reading each one right after placing it; then, once
 * `settleMs` has let the read models take the placements in, it cancels them, reading each one right
 * after cancelling it. With tokens, a session sends back the last consistency token it received (it
 * never builds or compares one); without, it reads the way a client unaware of article 5 does.
 */
export async function runWriteReadCycles(
  ordersUrl: string,
  newCustomer: () => Promise<Customer>,
  orders: number,
  withTokens: boolean,
  settleMs: number,
): Promise<CycleResult[]> {
  const results: CycleResult[] = [];
  const customers = await Promise.all(Array.from({ length: SESSIONS }, newCustomer));
  const sessions = customers.map((customer) => new Session(ordersUrl, customer, withTokens, results));
  // Each session cancels the orders it placed: a customer may cancel only their own.
  const placedBy = new Map<Session, string[]>(sessions.map((session) => [session, []]));
  let claimed = 0;
  await Promise.all(
    sessions.map(async (session) => {
      while (claimed < orders) {
        claimed += 1;
        placedBy.get(session)?.push(await session.placeAndRead());
      }
    }),
  );
  await sleep(settleMs);
  await Promise.all(
    sessions.map(async (session) => {
      for (const orderId of placedBy.get(session) ?? []) await session.cancelAndRead(orderId);
    }),
  );
  return results;
}

/** One client: its customer, and the last consistency token it received. */
class Session {
  private token: string | undefined;

  constructor(
    private readonly ordersUrl: string,
    private readonly customer: Customer,
    private readonly withTokens: boolean,
    private readonly results: CycleResult[],
  ) {}

  async placeAndRead(): Promise<string> {
    const placed = await expectOk(await postJson(`${this.ordersUrl}/orders`, this.customer, anOrder(this.customer)), 'POST /orders');
    this.remember(placed);
    const { orderId, version } = (await placed.json()) as { orderId: string; version: number };
    await this.readBack(orderId, version);
    return orderId;
  }

  async cancelAndRead(orderId: string): Promise<void> {
    const cancelled = await expectOk(await postJson(`${this.ordersUrl}/orders/${orderId}/cancel`, this.customer, { reason: 'article 5 workshop' }), 'POST cancel');
    this.remember(cancelled);
    await this.readBack(orderId, ((await cancelled.json()) as { version: number }).version);
  }

  private async readBack(orderId: string, written: number): Promise<void> {
    const headers: Record<string, string> = this.withTokens && this.token ? { [CONSISTENCY_TOKEN_HEADER]: this.token } : {};
    const response = await this.customer.fetch(`${this.ordersUrl}/orders/${orderId}`, { headers });
    this.remember(response);
    let read = 0;
    if (response.status !== 404) read = ((await (await expectOk(response, 'GET /orders/:id')).json()) as { version: number }).version;
    this.results.push({ written, read, consistency: response.headers.get('consistency') ?? '' });
  }

  private remember(response: Response): void {
    this.token = response.headers.get(CONSISTENCY_TOKEN_HEADER) ?? this.token;
  }
}

export const anOrder = ({ customerId }: Customer) => ({
  customerId,
  currency: 'EUR',
  items: [{ sku: 'workshop-ticket', quantity: 1, unitPriceCents: 4_900 }],
});

/** A JSON POST as `customer` (the only one who may place or cancel their orders). */
export function postJson(url: string, customer: Customer, body: unknown, idempotencyKey: string = randomUUID()): Promise<Response> {
  return customer.fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    body: JSON.stringify(body),
  });
}

export async function expectOk(response: Response, what: string): Promise<Response> {
  if (!response.ok) throw new Error(`${what} answered ${response.status}: ${await response.text()}`);
  return response;
}

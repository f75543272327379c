import { randomUUID } from 'node:crypto';
import { customerFetch } from '../customer-fetch.js';

/** The customer every scenario order belongs to: billing needs no profile to copy an order. */
export const SCENARIO_CUSTOMER_ID = '4a6d2c1e-8b3f-4e5a-9c7d-1f2e3a4b5c6d';
/** Requests in flight at once: enough to place 40 orders in about a second, gentle on 2 cores. */
const CONCURRENCY = 8;

/**
 * Places `count` orders through orders' HTTP API and cancels each right after, each request with
 * its own Idempotency-Key. Resolves with the order ids once every command was accepted.
 */
export async function placeAndCancelOrders(ordersUrl: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const placed = await postJson(`${ordersUrl}/orders`, {
        customerId: SCENARIO_CUSTOMER_ID,
        currency: 'EUR',
        items: [{ sku: 'workshop-ticket', quantity: 1, unitPriceCents: 4_900 }],
      });
      const { orderId } = (await placed.json()) as { orderId: string };
      await postJson(`${ordersUrl}/orders/${orderId}/cancel`, { reason: 'article 4 workshop' });
      ids.push(orderId);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return ids;
}

async function postJson(url: string, body: unknown): Promise<Response> {
  const response = await customerFetch(new URL(url).origin, SCENARIO_CUSTOMER_ID)(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
  return response;
}

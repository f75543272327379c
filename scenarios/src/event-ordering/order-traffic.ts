import { randomUUID } from 'node:crypto';
import type { Customer } from '../identity.js';
/** Requests in flight at once: enough to place 40 orders in about a second, gentle on 2 cores. */
const CONCURRENCY = 8;

/**
 * Places `count` orders as `customer` through orders' HTTP API and cancels each right after, each
 * request with its own Idempotency-Key. Resolves with the order ids once every command was accepted.
 * Billing needs no profile of the customer to copy their orders.
 */
export async function placeAndCancelOrders(ordersUrl: string, customer: Customer, count: number): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const placed = await postJson(customer, `${ordersUrl}/orders`, {
        customerId: customer.customerId,
        currency: 'EUR',
        items: [{ sku: 'workshop-ticket', quantity: 1, unitPriceCents: 4_900 }],
      });
      const { orderId } = (await placed.json()) as { orderId: string };
      await postJson(customer, `${ordersUrl}/orders/${orderId}/cancel`, { reason: 'article 4 workshop' });
      ids.push(orderId);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return ids;
}

async function postJson(customer: Customer, url: string, body: unknown): Promise<Response> {
  const response = await customer.fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
  return response;
}

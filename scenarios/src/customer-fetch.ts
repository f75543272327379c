import { randomUUID } from 'node:crypto';
import { bearerFetch, userTokenFrom } from '@faultline/shared/testing';

const customers = new Map<string, typeof fetch>();

/**
 * `fetch` as a customer of the running system (article 2): a user token from the orders service's
 * `POST /auth/tokens`, got once per orders instance like a real client gets one from its identity
 * provider, and sent as `Authorization: Bearer` to orders and billing alike.
 */
export function customerFetch(ordersUrl: string): typeof fetch {
  let customer = customers.get(ordersUrl);
  if (!customer) {
    customer = bearerFetch(() => userTokenFrom(ordersUrl, randomUUID()));
    customers.set(ordersUrl, customer);
  }
  return customer;
}

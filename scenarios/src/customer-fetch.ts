import { bearerFetch, userTokenFrom } from '@faultline/shared/testing';

const customers = new Map<string, typeof fetch>();

/**
 * `fetch` as `customerId` of the running system (article 2): a user token for that customer from the
 * orders service's `POST /auth/tokens` (the scenarios run orders in workshop mode, where the stand-in
 * issuer's route is mounted), got once per orders instance like a real client gets one from
 * its identity provider, and sent as `Authorization: Bearer` to orders and billing alike. A customer
 * acts only on their own orders, so the token's customer is the one the requests name.
 */
export function customerFetch(ordersUrl: string, customerId: string): typeof fetch {
  const key = `${ordersUrl} ${customerId}`;
  let customer = customers.get(key);
  if (!customer) {
    customer = bearerFetch(() => userTokenFrom(ordersUrl, customerId));
    customers.set(key, customer);
  }
  return customer;
}

import { paymentEventContracts } from './billing-events.js';
import type { EventContract } from './event-contract.js';
import { orderEventContracts } from './orders-events.js';

/**
 * Every event type Faultline knows, by `type`: the single source of truth producers encode with and
 * consumers decode with. A new event type is registered here, or `decodeEvent` dead-letters it.
 */
export const eventContracts: ReadonlyMap<string, EventContract<unknown>> = new Map(
  [...orderEventContracts, ...paymentEventContracts].map((contract): [string, EventContract<unknown>] => [contract.type, contract]),
);

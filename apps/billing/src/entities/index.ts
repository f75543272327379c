import { BillingCustomer } from './billing-customer.entity.js';

/** Every table the billing service maps, listed explicitly (ESM builds have no globs to scan). */
export const entities = [BillingCustomer];
export { BillingCustomer } from './billing-customer.entity.js';

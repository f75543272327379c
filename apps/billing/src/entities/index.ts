import { BillingCustomer } from './billing-customer.entity.js';
import { BillingOrder } from './billing-order.entity.js';

/** Every table the billing service maps, listed explicitly (ESM builds have no globs to scan). */
export const entities = [BillingCustomer, BillingOrder];
export { BillingCustomer } from './billing-customer.entity.js';
export { BillingOrder, type BillingOrderStatus } from './billing-order.entity.js';

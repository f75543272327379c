import { OutboxMessage } from '@faultline/shared/outbox';
import { BillingCustomer } from './billing-customer.entity.js';
import { BillingOrder } from './billing-order.entity.js';
import { BillingInvoice, BillingInvoiceLine } from './billing-invoice.entity.js';
import { Payment } from '../payments/payment.entity.js';
import { PaymentRequest } from '../payments/payment-request.entity.js';

/** Every table the billing service maps, listed explicitly (ESM builds have no globs to scan). */
export const entities = [BillingCustomer, BillingOrder, BillingInvoice, BillingInvoiceLine, Payment, PaymentRequest, OutboxMessage];
export { BillingCustomer } from './billing-customer.entity.js';
export { BillingOrder, type BillingOrderStatus } from './billing-order.entity.js';
export { BillingInvoice, BillingInvoiceLine } from './billing-invoice.entity.js';
export { Payment } from '../payments/payment.entity.js';
export { PaymentRequest } from '../payments/payment-request.entity.js';

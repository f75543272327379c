import { CreateBillingCustomers1764288000000 } from './1764288000000-create-billing-customers.js';
import { CreateBillingOrdersAndConsumerTables1764356400000 } from './1764356400000-create-billing-orders-and-consumer-tables.js';
import { CreatePaymentsAndPaymentRequests1764800000000 } from './1764800000000-create-payments-and-payment-requests.js';
import { AddTimeZonesAndInvoices1764900000000 } from './1764900000000-add-time-zones-and-invoices.js';
import { FollowOrderOutcomes1765100000000 } from './1765100000000-follow-order-outcomes.js';
import { CreateOutboxAndPaymentVersions1765200000000 } from './1765200000000-create-outbox-and-payment-versions.js';

/** The billing service's migrations, oldest first. Only these run against the billing database. */
export const migrations = [CreateBillingCustomers1764288000000, CreateBillingOrdersAndConsumerTables1764356400000, CreatePaymentsAndPaymentRequests1764800000000, AddTimeZonesAndInvoices1764900000000, FollowOrderOutcomes1765100000000, CreateOutboxAndPaymentVersions1765200000000];

import { CreateBillingCustomers1764288000000 } from './1764288000000-create-billing-customers.js';
import { CreateBillingOrdersAndConsumerTables1764356400000 } from './1764356400000-create-billing-orders-and-consumer-tables.js';

/** The billing service's migrations, oldest first. Only these run against the billing database. */
export const migrations = [CreateBillingCustomers1764288000000, CreateBillingOrdersAndConsumerTables1764356400000];

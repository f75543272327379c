import { CreateBillingCustomers1764288000000 } from './1764288000000-create-billing-customers.js';

/** The billing service's migrations, oldest first. Only these run against the billing database. */
export const migrations = [CreateBillingCustomers1764288000000];

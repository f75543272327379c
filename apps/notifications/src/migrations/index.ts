import { CreateNotifications1764288000000 } from './1764288000000-create-notifications.js';
import { CreateConsumerTables1764356400000 } from './1764356400000-create-consumer-tables.js';
import { AddNotificationCustomer1764979200000 } from './1764979200000-add-notification-customer.js';
import { AddEmailDelivery1765300000000 } from './1765300000000-add-email-delivery.js';
import { AddNotificationTraceparent1765500000000 } from './1765500000000-add-notification-traceparent.js';

/** The notifications service's migrations, oldest first. Only these run against its database. */
export const migrations = [
  CreateNotifications1764288000000,
  CreateConsumerTables1764356400000,
  AddNotificationCustomer1764979200000,
  AddEmailDelivery1765300000000,
  AddNotificationTraceparent1765500000000,
];

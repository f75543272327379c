import { ContactPreferences } from './contact-preferences.entity.js';
import { DeliveryAttempt } from './delivery-attempt.entity.js';
import { Notification } from './notification.entity.js';
import { OrderCustomer } from './order-customer.entity.js';

/** Every table the notifications service maps, listed explicitly (ESM builds have no globs to scan). */
export const entities = [Notification, DeliveryAttempt, ContactPreferences, OrderCustomer];
export { ContactPreferences } from './contact-preferences.entity.js';
export { DeliveryAttempt, type DeliveryOutcome } from './delivery-attempt.entity.js';
export { EMAIL_KINDS, Notification, type EmailKind, type NotificationChannel, type NotificationStatus } from './notification.entity.js';
export { OrderCustomer } from './order-customer.entity.js';

import { Notification } from './notification.entity.js';

/** Every table the notifications service maps, listed explicitly (ESM builds have no globs to scan). */
export const entities = [Notification];
export { Notification, type NotificationChannel, type NotificationStatus } from './notification.entity.js';

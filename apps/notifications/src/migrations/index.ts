import { CreateNotifications1764288000000 } from './1764288000000-create-notifications.js';

/** The notifications service's migrations, oldest first. Only these run against its database. */
export const migrations = [CreateNotifications1764288000000];

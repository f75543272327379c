import { StoredEvent } from '@faultline/shared/event-store';
import { OutboxMessage } from '@faultline/shared/outbox';
import { Order } from './order.entity.js';

/** Every table the orders service maps, listed explicitly (ESM builds have no globs to scan). */
export const entities = [Order, OutboxMessage, StoredEvent];
export { Order } from './order.entity.js';

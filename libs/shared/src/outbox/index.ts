export { OutboxMessage } from './outbox-message.entity.js';
export {
  OUTBOX_DEFAULTS,
  OUTBOX_OPTIONS,
  WORKSHOP_MODE_VARIABLE,
  outboxPublishing,
  resolveOutboxOptions,
  type OutboxOptions,
  type OutboxPublishedRows,
  type OutboxPublishing,
  type ResolvedOutboxOptions,
} from './outbox-options.js';
export { OutboxModule } from './outbox.module.js';
export { OutboxRelay } from './outbox-relay.js';
export { Outbox, type NewEvent } from './outbox.js';
export { OutboxTable } from './outbox-table.js';

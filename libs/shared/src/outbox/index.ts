export { OutboxMessage } from './outbox-message.entity.js';
export { OUTBOX_DEFAULTS, type OutboxOptions } from './outbox-options.js';
export { OutboxModule } from './outbox.module.js';
export { OutboxRelay } from './outbox-relay.js';
export { Outbox, type NewEvent } from './outbox.js';

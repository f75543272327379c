import { CreateOrdersAndOutbox1764288000000 } from './1764288000000-create-orders-and-outbox.js';
import { CreateEventStoreAndIdempotencyRecords1764360000000 } from './1764360000000-create-event-store-and-idempotency-records.js';
import { CreateOrderProjections1764460000000 } from './1764460000000-create-order-projections.js';
import { CreateConsumerTables1764540000000 } from './1764540000000-create-consumer-tables.js';
import { AddRefundToOrderDetails1764800000000 } from './1764800000000-add-refund-to-order-details.js';
import { ProjectInCommitOrder1765400000000 } from './1765400000000-project-in-commit-order.js';

/** The orders service's migrations, oldest first. Only these run against the orders database. */
export const migrations = [CreateOrdersAndOutbox1764288000000, CreateEventStoreAndIdempotencyRecords1764360000000, CreateOrderProjections1764460000000, CreateConsumerTables1764540000000, AddRefundToOrderDetails1764800000000, ProjectInCommitOrder1765400000000];

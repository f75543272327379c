import { z } from 'zod';
import { ORDER_EVENTS_TOPIC } from '@faultline/shared/contracts';
import type { EventConsumerOptions } from '@faultline/shared/messaging';

/**
 * `saga` (the default) runs the OrderFulfilment workflow for every placed order. `off` leaves orders
 * placed: for tests and scenarios that are not about fulfilment and must not see orders move on.
 */
export const orderFulfilmentMode = () => z.enum(['saga', 'off']).default('saga');
export type OrderFulfilmentMode = z.infer<ReturnType<typeof orderFulfilmentMode>>;

/** The task queue the worker polls and the starter starts on; tests use one of their own. */
export const orderFulfilmentTaskQueue = () => z.string().min(1).default('order-fulfilment');

/**
 * An instant (ISO-8601 UTC): orders placed before it are left alone. The cut-over of a saga added to a
 * running system — its starter reads the topic from the beginning, and orders from before the saga
 * existed were settled some other way. Unset: every placed order is fulfilled.
 */
export const orderFulfilmentPlacedSince = () => z.iso.datetime().optional();

export interface OrderFulfilmentOptions {
  mode: OrderFulfilmentMode;
  temporal: { address: string; namespace: string };
  taskQueue: string;
  /** Billing's payments API (contract D), e.g. `http://127.0.0.1:3102`. */
  billingUrl: string;
  /** The consumer of `orders.order.placed` and `.cancelled` that starts the workflows (tests give it a topic of its own). */
  starter: EventConsumerOptions;
  /** Orders placed before this instant are not fulfilled by the saga (see orderFulfilmentPlacedSince). */
  placedSince?: Date;
}

/**
 * Its own consumer name and group: it keeps its own inbox and ordering checkpoints in the orders
 * database, and a fresh group reads the topic from the start, so no order placed before the saga was
 * switched on is missed (a duplicate start is harmless: the workflow id is `order-<orderId>`). The
 * same consumer starts a cancelled paid order's refund (workflow id `order-refund-<orderId>`): in
 * one consumer, an order's placed and cancelled events are handled in sequence by the ordering guard.
 */
export const ORDER_FULFILMENT_STARTER: EventConsumerOptions = { name: 'orders-fulfilment', topics: [ORDER_EVENTS_TOPIC] };

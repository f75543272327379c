import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { OrderFulfilmentOptions } from '../order-fulfilment/order-fulfilment-options.js';
import { ORDER_FULFILMENT_CLIENT, ORDER_FULFILMENT_OPTIONS, startOnce } from '../order-fulfilment/order-fulfilment-starter.js';
import type { orderRefund } from './order-refund.workflow.js';
import type { OrderRefundInput } from './refund-activities.js';

/** The workflow id of an order's refund: one per order, whoever starts it and however often. */
export const refundWorkflowId = (orderId: string) => `order-refund-${orderId}`;

/**
 * Starts a cancelled paid order's OrderRefund workflow on the fulfilment saga's client and task
 * queue. The id is `order-refund-<orderId>` and a second start with it is refused by Temporal
 * (REJECT_DUPLICATE, even once the first has finished): a redelivered `orders.order.cancelled` can
 * never start a second refund (article 6).
 */
@Injectable()
export class OrderRefundStarter {
  private readonly taskQueue: string;

  constructor(
    @Inject(ORDER_FULFILMENT_CLIENT) private readonly client: Client,
    @Inject(ORDER_FULFILMENT_OPTIONS) options: OrderFulfilmentOptions,
  ) {
    this.taskQueue = options.taskQueue;
  }

  start(input: OrderRefundInput): Promise<'started' | 'already-started'> {
    return startOnce<typeof orderRefund>(this.client, 'orderRefund', { taskQueue: this.taskQueue, workflowId: refundWorkflowId(input.orderId), args: [input] });
  }
}

import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client, type Workflow, type WorkflowStartOptions } from '@temporalio/client';
import type { OrderFulfilmentInput } from './order-fulfilment-activity-interface.js';
import type { OrderFulfilmentOptions } from './order-fulfilment-options.js';
import type { orderFulfilment } from './order-fulfilment.workflow.js';

export const ORDER_FULFILMENT_OPTIONS = Symbol('ORDER_FULFILMENT_OPTIONS');
export const ORDER_FULFILMENT_CLIENT = Symbol('ORDER_FULFILMENT_CLIENT');

/** The workflow id of an order's fulfilment: one per order, whoever starts it and however often. */
export const fulfilmentWorkflowId = (orderId: string) => `order-${orderId}`;

/**
 * Starts `workflowType` under `workflowId` once for good: Temporal refuses a second start with the
 * id (REJECT_DUPLICATE, even once the first has finished), which answers `already-started`.
 */
export async function startOnce<T extends Workflow>(
  client: Client,
  workflowType: string,
  options: Omit<WorkflowStartOptions<T>, 'workflowIdReusePolicy'>,
): Promise<'started' | 'already-started'> {
  try {
    await client.workflow.start<T>(workflowType, { ...options, workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE } as WorkflowStartOptions<T>);
    return 'started';
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return 'already-started';
    throw error;
  }
}

/**
 * Starts an order's OrderFulfilment workflow. The id is `order-<orderId>` and a second start with it
 * is refused by Temporal (REJECT_DUPLICATE, even once the first has finished): a redelivered
 * `orders.order.placed` can never fulfil — charge — an order twice (article 6).
 */
@Injectable()
export class OrderFulfilmentStarter implements OnApplicationShutdown {
  private readonly taskQueue: string;

  constructor(
    @Inject(ORDER_FULFILMENT_CLIENT) private readonly client: Client,
    @Inject(ORDER_FULFILMENT_OPTIONS) options: OrderFulfilmentOptions,
  ) {
    this.taskQueue = options.taskQueue;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
  }

  start(input: OrderFulfilmentInput): Promise<'started' | 'already-started'> {
    return startOnce<typeof orderFulfilment>(this.client, 'orderFulfilment', {
      taskQueue: this.taskQueue,
      workflowId: fulfilmentWorkflowId(input.orderId),
      args: [input],
    });
  }
}

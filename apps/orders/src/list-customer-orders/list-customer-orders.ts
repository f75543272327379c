import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import type { ConsistencyToken } from '@faultline/shared/consistency';
import { ConsistentReads, type ReadConsistency } from '../projections/consistent-reads.js';
import { orderView } from '../get-order/order-view.js';
import { customerOrdersProjection } from '../projections/order-projections.js';

export const customerOrdersView = z
  .object({
    customerId: z.uuid(),
    orders: z.array(
      z.object({
        orderId: z.uuid(),
        status: orderView.shape.status,
        totalCents: z.int(),
        currency: z.string(),
        version: z.int(),
        placedAt: z.iso.datetime(),
      }),
    ),
    /** True when the list may miss or show older versions of orders the caller's token covers. */
    pending: z.boolean(),
  })
  .meta({ id: 'CustomerOrders' });
export type CustomerOrdersView = z.infer<typeof customerOrdersView>;

interface CustomerOrderRow {
  order_id: string;
  status: CustomerOrdersView['orders'][number]['status'];
  total_cents: string;
  currency: string;
  version: number;
  placed_at: Date;
}

export interface CustomerOrdersRead {
  view: CustomerOrdersView;
  consistency: ReadConsistency;
  token: ConsistencyToken;
}

/**
 * GET /customers/:customerId/orders (article 5), from the `customer_orders` projection. With a token
 * the projection has not reached after the wait, the list is answered as it is but marked
 * `pending: true` (and `Consistency: pending`): the event store has no index by customer to rebuild
 * a list from, and a list that says it is incomplete is honest, where a silent one is stale.
 */
@Injectable()
export class ListCustomerOrders {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reads: ConsistentReads,
  ) {}

  async read(customerId: string, requested: ConsistencyToken | undefined): Promise<CustomerOrdersRead> {
    const progress = await this.reads.awaitProjection(customerOrdersProjection.name, requested);
    const rows = (await this.dataSource.query(
      `SELECT order_id, status, total_cents, currency, version, placed_at FROM customer_orders
        WHERE customer_id = $1 ORDER BY placed_at DESC, order_id`,
      [customerId],
    )) as CustomerOrderRow[];
    const orders = rows.map((row) => ({
      orderId: row.order_id,
      status: row.status,
      totalCents: Number(row.total_cents),
      currency: row.currency,
      version: row.version,
      placedAt: row.placed_at.toISOString(),
    }));
    const consistency: ReadConsistency = !progress.caughtUp ? 'pending' : progress.tokenHonoured ? 'current' : 'eventual';
    return { view: { customerId, orders, pending: !progress.caughtUp }, consistency, token: progress.token };
  }
}

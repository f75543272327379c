import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ConsistencyToken } from '@faultline/shared/consistency';
import { OrderStream } from '../order/order-stream.js';
import { ConsistentReads, type ReadConsistency } from '../projections/consistent-reads.js';
import { orderDetailsProjection } from '../projections/order-projections.js';
import { viewOfProjection, viewOfStream, type OrderDetailsRow, type OrderView } from './order-view.js';

export interface OrderRead {
  order: OrderView | undefined;
  consistency: ReadConsistency;
  token: ConsistencyToken;
}

/**
 * GET /orders/:id (article 5). Without a token: the `order_details` projection as it is — cheap,
 * and possibly a moment behind. With the token of the caller's write: the projection once it has
 * caught up with the token (waiting up to ORDERS_CONSISTENT_READ_WAIT_MS), otherwise the order's
 * event stream, the source of truth — never a version older than the caller's own write.
 */
@Injectable()
export class GetOrder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: OrderStream,
    private readonly reads: ConsistentReads,
  ) {}

  async read(orderId: string, requested: ConsistencyToken | undefined): Promise<OrderRead> {
    const progress = await this.reads.awaitProjection(orderDetailsProjection.name, requested);
    if (!progress.caughtUp) {
      const { state, version } = await this.orders.load(this.dataSource.manager, orderId);
      const order = state.status === 'none' ? undefined : viewOfStream(state, version);
      return { order, consistency: 'source-of-truth', token: progress.token };
    }
    const [row] = (await this.dataSource.query(`SELECT * FROM order_details WHERE order_id = $1`, [orderId])) as OrderDetailsRow[];
    const consistency = progress.tokenHonoured ? 'current' : 'eventual';
    return { order: row ? viewOfProjection(row) : undefined, consistency, token: progress.token };
  }
}

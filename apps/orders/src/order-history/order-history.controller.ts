import type { ServerResponse } from 'node:http';
import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { REPLICA_TOKEN_HEADER, ReplicaReadRouter, SERVED_BY_HEADER } from '@faultline/shared/consistency';
import { ApiProblemResponse } from '@faultline/shared/problem-details';
import { Order } from '../entities/index.js';
import { Access } from '@faultline/shared/access-control';

/** The newest orders a history page shows; older ones would need paging, which the demo does not. */
const HISTORY_LIMIT = 100;

export const orderHistoryView = z
  .object({
    customerId: z.uuid(),
    orders: z.array(
      z.object({
        orderId: z.uuid(),
        status: z.string(),
        totalCents: z.int(),
        currency: z.string(),
        version: z.int(),
        placedAt: z.iso.datetime(),
      }),
    ),
  })
  .meta({ id: 'OrderHistory' });
export type OrderHistoryView = z.infer<typeof orderHistoryView>;

/**
 * A customer's order history, newest first: a routed read (article 7). It reads the `orders` state
 * table, which `OrderStream.commit` writes in the same transaction as the events, so on the primary
 * it is never behind the caller's write; on the replica it is behind by exactly the replication lag.
 * The `X-Replica-Token` of a place/cancel makes the replica answer only once it has replayed that
 * write; `X-Served-By` says which database answered.
 */
@ApiTags('orders')
@Controller('customers')
export class OrderHistoryController {
  constructor(private readonly reads: ReplicaReadRouter) {}

  @Get(':customerId/order-history')
  @Access.customerIn('path', 'customerId')
  @ApiHeader({ name: REPLICA_TOKEN_HEADER, required: false, description: 'The token of your last write: the history includes it' })
  @ApiOkResponse({ description: `The customer's orders, newest first; \`${SERVED_BY_HEADER}\` names the database that answered`, standardSchema: orderHistoryView })
  @ApiProblemResponse(400, 'The customer id is not a UUID, or the replica token is malformed')
  async history(
    @Param('customerId', { schema: z.uuid() }) customerId: string,
    @Headers(REPLICA_TOKEN_HEADER.toLowerCase()) replicaToken: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<OrderHistoryView> {
    const orders = await this.reads.read(replicaToken, response, (manager) =>
      manager.find(Order, { where: { customerId }, order: { placedAt: 'DESC', id: 'ASC' }, take: HISTORY_LIMIT }),
    );
    return {
      customerId,
      orders: orders.map((order) => ({
        orderId: order.id,
        status: order.status,
        totalCents: order.totalCents,
        currency: order.currency,
        version: order.version,
        placedAt: order.placedAt.toISOString(),
      })),
    };
  }
}

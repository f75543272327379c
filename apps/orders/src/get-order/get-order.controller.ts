import type { ServerResponse } from 'node:http';
import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ApiProblemResponse, ProblemDetailsException } from '@faultline/shared/problem-details';
import { etagOf } from '../order/order-problems.js';
import { OrderStream } from '../order/order-stream.js';

export const orderView = z
  .object({
    orderId: z.uuid(),
    customerId: z.uuid(),
    status: z.enum(['placed', 'cancelled']),
    totalCents: z.int(),
    currency: z.string(),
    version: z.int(),
    placedAt: z.iso.datetime(),
    cancellation: z.object({ reason: z.string(), cancelledAt: z.iso.datetime() }).optional(),
  })
  .meta({ id: 'Order' });
export type OrderView = z.infer<typeof orderView>;

/** Answers from the order's event stream, rebuilt on each read: always the caller's own latest write. */
@ApiTags('orders')
@Controller('orders')
export class GetOrderController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: OrderStream,
  ) {}

  @Get(':id')
  @ApiOkResponse({ description: 'The order; `ETag` is its version', standardSchema: orderView })
  @ApiProblemResponse(400, 'The id is not a UUID')
  @ApiProblemResponse(404, 'No order has this id')
  async get(@Param('id', { schema: z.uuid() }) id: string, @Res({ passthrough: true }) response: ServerResponse): Promise<OrderView> {
    const { state, version } = await this.orders.load(this.dataSource.manager, id);
    if (state.status === 'none') throw ProblemDetailsException.notFound(`There is no order with id ${id}.`);
    response.setHeader('ETag', etagOf(version));
    return {
      orderId: state.orderId,
      customerId: state.customerId,
      status: state.status,
      totalCents: state.total.amountMinor,
      currency: state.total.currency,
      version,
      placedAt: state.placedAt,
      ...(state.status === 'cancelled' ? { cancellation: state.cancellation } : {}),
    };
  }
}

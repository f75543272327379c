import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { z } from 'zod';
import { ApiProblemResponse, ProblemDetailsException } from '@faultline/shared/problem-details';
import { Order } from '../entities/index.js';

export const orderView = z
  .object({
    orderId: z.uuid(),
    customerId: z.uuid(),
    status: z.string(),
    totalCents: z.int(),
    currency: z.string(),
    version: z.int(),
    placedAt: z.iso.datetime(),
  })
  .meta({ id: 'Order' });
export type OrderView = z.infer<typeof orderView>;

@ApiTags('orders')
@Controller('orders')
export class GetOrderController {
  constructor(@InjectRepository(Order) private readonly orders: Repository<Order>) {}

  @Get(':id')
  @ApiOkResponse({ description: 'The order', standardSchema: orderView })
  @ApiProblemResponse(400, 'The id is not a UUID')
  @ApiProblemResponse(404, 'No order has this id')
  async get(@Param('id', { schema: z.uuid() }) id: string): Promise<OrderView> {
    const order = await this.orders.findOneBy({ id });
    if (!order) throw ProblemDetailsException.notFound(`There is no order with id ${id}.`);
    return {
      orderId: order.id,
      customerId: order.customerId,
      status: order.status,
      totalCents: order.totalCents,
      currency: order.currency,
      version: order.version,
      placedAt: order.placedAt.toISOString(),
    };
  }
}

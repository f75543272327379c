import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { z } from 'zod';
import { ApiProblemResponse, ProblemDetailsException } from '@faultline/shared/problem-details';
import { BillingOrder } from '../entities/index.js';
import { Access } from '@faultline/shared/access-control';
import { BillingOrderOwners } from './billing-order-owners.js';

export const billingOrderView = z
  .object({
    orderId: z.uuid(),
    customerId: z.uuid(),
    total: z.object({ amountMinor: z.int(), currency: z.string() }),
    status: z.enum(['placed', 'cancelled']),
    version: z.int(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'BillingOrder' });
export type BillingOrderView = z.infer<typeof billingOrderView>;

/** Billing's copy of an order, as its events left it: for seeing what the consumer applied. */
@ApiTags('orders')
@Controller('orders')
export class GetOrderController {
  constructor(@InjectRepository(BillingOrder) private readonly orders: Repository<BillingOrder>) {}

  @Get(':id')
  @Access.ownerOf(BillingOrderOwners, 'id')
  @ApiOkResponse({ description: "Billing's copy of the order", standardSchema: billingOrderView })
  @ApiProblemResponse(400, 'The id is not a UUID')
  @ApiProblemResponse(404, "Billing has received no event about this order (yet), or it is another customer's")
  async get(@Param('id', { schema: z.uuid() }) id: string): Promise<BillingOrderView> {
    const order = await this.orders.findOneBy({ orderId: id });
    if (!order) throw ProblemDetailsException.notFound(`Billing has no copy of order ${id} (yet).`);
    return {
      orderId: order.orderId,
      customerId: order.customerId,
      total: { amountMinor: order.totalMinor, currency: order.currency },
      status: order.status,
      version: order.version,
      updatedAt: order.updatedAt.toISOString(),
    };
  }
}

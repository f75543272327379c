import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { z } from 'zod';
import { ApiProblemResponse, ProblemDetailsException } from '@faultline/shared/problem-details';
import { BILLING_ORDER_STATUSES, BillingOrder } from '../entities/billing-order.entity.js';
import { Access } from '@faultline/shared/access-control';
import { BillingOrderOwners } from './billing-order-owners.js';

export const billingOrderView = z
  .object({
    orderId: z.uuid(),
    customerId: z.uuid(),
    total: z.object({ amountMinor: z.int(), currency: z.string() }),
    status: z.enum(BILLING_ORDER_STATUSES),
    version: z.int(),
    placedAt: z.iso.datetime(),
    payment: z
      .object({ paymentId: z.uuid(), confirmedAt: z.iso.datetime().optional(), paidAt: z.iso.datetime().optional() })
      .optional()
      .describe('The payment the order was confirmed with, and when it was confirmed and paid'),
    rejection: z.object({ reason: z.string(), rejectedAt: z.iso.datetime() }).optional(),
    cancellation: z.object({ reason: z.string().optional(), cancelledAt: z.iso.datetime() }).optional(),
    refund: z.object({ refundedAt: z.iso.datetime() }).optional().describe("A cancelled paid order's payment, given back"),
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
    return toBillingOrderView(order);
  }
}

function toBillingOrderView(order: BillingOrder): BillingOrderView {
  const iso = (instant: Date | null) => (instant === null ? undefined : instant.toISOString());
  return {
    orderId: order.orderId,
    customerId: order.customerId,
    total: { amountMinor: order.totalMinor, currency: order.currency },
    status: order.status,
    version: order.version,
    placedAt: order.placedAt.toISOString(),
    ...(order.paymentId !== null && {
      payment: { paymentId: order.paymentId, confirmedAt: iso(order.confirmedAt), paidAt: iso(order.paidAt) },
    }),
    ...(order.rejectedAt !== null &&
      order.rejectionReason !== null && { rejection: { reason: order.rejectionReason, rejectedAt: order.rejectedAt.toISOString() } }),
    ...(order.cancelledAt !== null && {
      cancellation: { reason: order.cancellationReason ?? undefined, cancelledAt: order.cancelledAt.toISOString() },
    }),
    ...(order.refundedAt !== null && { refund: { refundedAt: order.refundedAt.toISOString() } }),
    updatedAt: order.updatedAt.toISOString(),
  };
}

import type { ServerResponse } from 'node:http';
import { Body, Controller, Headers, HttpCode, Param, Post, Res, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ReplicaTokenInterceptor } from '@faultline/shared/consistency';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey, writeOutcomeHeaders } from '@faultline/shared/idempotency';
import { ApiProblemResponse } from '@faultline/shared/problem-details';
import { RequestOrigin, type Origin } from '@faultline/shared/service-defaults';
import { CancelOrder } from './cancel-order.js';
import { cancelOrderRequest, cancelOrderResponse, type CancelOrderRequest, type CancelOrderResponse } from './cancel-order.schema.js';
import { Access } from '@faultline/shared/access-control';
import { OrderOwners } from '../order/order-owners.js';

@ApiTags('orders')
@Controller('orders')
export class CancelOrderController {
  constructor(private readonly cancelOrder: CancelOrder) {}

  @Post(':id/cancel')
  @Access.ownerOf(OrderOwners, 'id')
  @HttpCode(200)
  // X-Replica-Token (taken after the commit): sent back, it makes the order history include this write (article 7).
  @UseInterceptors(ReplicaTokenInterceptor)
  @ApiHeader({ name: IDEMPOTENCY_KEY_HEADER, required: true, description: 'Unique per intended cancellation; resend it to retry safely' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag of the version the client decided on' })
  @ApiOkResponse({
    description:
      "The order is cancelled (or, for a key already used, the stored answer). A paid order's answer says `refund: pending`: its payment is refunded in full afterwards, once",
    standardSchema: cancelOrderResponse,
  })
  @ApiProblemResponse(400, 'The id is not a UUID, the body fails the schema, or no Idempotency-Key')
  @ApiProblemResponse(404, "No order has this id, or it is another customer's")
  @ApiProblemResponse(409, 'The order is already cancelled (or refunded) or rejected, or changed concurrently (re-read and retry)')
  @ApiProblemResponse(412, 'If-Match names another version than the order is at')
  @ApiProblemResponse(422, 'The Idempotency-Key was already used with a different body')
  async cancel(
    @Param('id', { schema: z.uuid() }) orderId: string,
    @Body({ schema: cancelOrderRequest }) request: CancelOrderRequest,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @RequestOrigin() origin: Origin,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CancelOrderResponse> {
    const outcome = await this.cancelOrder.execute(orderId, request, { idempotencyKey, ifMatch }, origin);
    writeOutcomeHeaders(response, outcome);
    return cancelOrderResponse.parse(outcome.body);
  }
}

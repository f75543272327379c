import type { ServerResponse } from 'node:http';
import { Body, Controller, HttpCode, Post, Res, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import { ReplicaTokenInterceptor } from '@faultline/shared/consistency';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey, writeOutcomeHeaders } from '@faultline/shared/idempotency';
import { ApiProblemResponse } from '@faultline/shared/problem-details';
import { RequestOrigin, type Origin } from '@faultline/shared/service-defaults';
import { PlaceOrder } from './place-order.js';
import { placeOrderRequest, placeOrderResponse, type PlaceOrderRequest, type PlaceOrderResponse } from './place-order.schema.js';
import { Access } from '@faultline/shared/access-control';

@ApiTags('orders')
@Controller('orders')
export class PlaceOrderController {
  constructor(private readonly placeOrder: PlaceOrder) {}

  @Post()
  @Access.customerIn('body', 'customerId')
  @HttpCode(201)
  // X-Replica-Token (taken after the commit): sent back, it makes the order history include this write (article 7).
  @UseInterceptors(ReplicaTokenInterceptor)
  @ApiHeader({ name: IDEMPOTENCY_KEY_HEADER, required: true, description: 'Unique per intended order; resend it to retry safely' })
  @ApiCreatedResponse({
    description: 'The order was placed (or, for a key already used with this body, the stored answer); `Location` points at it',
    standardSchema: placeOrderResponse,
  })
  @ApiProblemResponse(400, 'Malformed JSON, a body that fails the schema (see `errors`), or no Idempotency-Key')
  @ApiProblemResponse(422, 'The Idempotency-Key was already used with a different body')
  async place(
    @Body({ schema: placeOrderRequest }) request: PlaceOrderRequest,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @RequestOrigin() origin: Origin,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<PlaceOrderResponse> {
    const outcome = await this.placeOrder.execute(request, idempotencyKey, origin);
    writeOutcomeHeaders(response, outcome);
    return placeOrderResponse.parse(outcome.body);
  }
}

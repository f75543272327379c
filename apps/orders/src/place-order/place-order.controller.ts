import type { ServerResponse } from 'node:http';
import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponse } from '@faultline/shared/problem-details';
import { RequestOrigin, type Origin } from '@faultline/shared/service-defaults';
import { PlaceOrder } from './place-order.js';
import { placeOrderRequest, placeOrderResponse, type PlaceOrderRequest, type PlaceOrderResponse } from './place-order.schema.js';

@ApiTags('orders')
@Controller('orders')
export class PlaceOrderController {
  constructor(private readonly placeOrder: PlaceOrder) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'The order was placed; `Location` points at it', standardSchema: placeOrderResponse })
  @ApiProblemResponse(400, 'Malformed JSON, or a body that fails the schema (see `errors`)')
  async place(
    @Body({ schema: placeOrderRequest }) request: PlaceOrderRequest,
    @RequestOrigin() origin: Origin,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<PlaceOrderResponse> {
    const order = await this.placeOrder.execute(request, origin);
    response.setHeader('Location', `/orders/${order.id}`);
    return { orderId: order.id, status: order.status, version: order.version };
  }
}

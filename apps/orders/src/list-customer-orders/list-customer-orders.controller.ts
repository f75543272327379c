import type { ServerResponse } from 'node:http';
import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CONSISTENCY_TOKEN_HEADER } from '@faultline/shared/consistency';
import { ApiProblemResponse } from '@faultline/shared/problem-details';
import { CONSISTENCY_HEADER } from '../projections/consistent-reads.js';
import { requestedToken } from '../projections/requested-token.js';
import { ListCustomerOrders, customerOrdersView, type CustomerOrdersView } from './list-customer-orders.js';
import { Access } from '@faultline/shared/access-control';

@ApiTags('orders')
@Controller('customers')
export class ListCustomerOrdersController {
  constructor(private readonly listCustomerOrders: ListCustomerOrders) {}

  @Get(':customerId/orders')
  @Access.customerIn('path', 'customerId')
  @ApiHeader({
    name: CONSISTENCY_TOKEN_HEADER,
    required: false,
    description: 'The newest token this client received; the list then includes everything it covers, or says `pending`',
  })
  @ApiOkResponse({
    description:
      "The customer's orders, newest first. `Consistency: pending` and `pending: true` when the list had not caught up " +
      'with the token after the bounded wait; `X-Consistency-Token` is the token to send next',
    standardSchema: customerOrdersView,
  })
  @ApiProblemResponse(400, 'The customer id is not a UUID, or the consistency token was not issued by this service')
  async list(
    @Param('customerId', { schema: z.uuid() }) customerId: string,
    @Headers(CONSISTENCY_TOKEN_HEADER.toLowerCase()) token: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CustomerOrdersView> {
    const read = await this.listCustomerOrders.read(customerId, requestedToken(token));
    response.setHeader(CONSISTENCY_TOKEN_HEADER, read.token.toString());
    response.setHeader(CONSISTENCY_HEADER, read.consistency);
    return read.view;
  }
}

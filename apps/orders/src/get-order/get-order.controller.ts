import type { ServerResponse } from 'node:http';
import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CONSISTENCY_TOKEN_HEADER } from '@faultline/shared/consistency';
import { ApiProblemResponse, ProblemDetailsException } from '@faultline/shared/problem-details';
import { etagOf } from '../order/order-problems.js';
import { CONSISTENCY_HEADER } from '../projections/consistent-reads.js';
import { requestedToken } from '../projections/requested-token.js';
import { GetOrder } from './get-order.js';
import { orderView, type OrderView } from './order-view.js';
import { Access } from '@faultline/shared/access-control';
import { OrderOwners } from '../order/order-owners.js';

@ApiTags('orders')
@Controller('orders')
export class GetOrderController {
  constructor(private readonly getOrder: GetOrder) {}

  @Get(':id')
  @Access.ownerOf(OrderOwners, 'id')
  @ApiHeader({
    name: CONSISTENCY_TOKEN_HEADER,
    required: false,
    description: 'The newest token this client received; the answer is then never older than it',
  })
  @ApiOkResponse({
    description:
      '`ETag` is the version shown; `X-Consistency-Token` the token to send next; `Consistency` where it came from ' +
      '(`eventual`: projection, no token; `current`: projection caught up with the token; `source-of-truth`: event stream)',
    standardSchema: orderView,
  })
  @ApiProblemResponse(400, 'The id is not a UUID, or the consistency token was not issued by this service')
  @ApiProblemResponse(404, "No order has this id, or it is another customer's (without a token: not projected yet)")
  async get(
    @Param('id', { schema: z.uuid() }) id: string,
    @Headers(CONSISTENCY_TOKEN_HEADER.toLowerCase()) token: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<OrderView> {
    const read = await this.getOrder.read(id, requestedToken(token));
    response.setHeader(CONSISTENCY_TOKEN_HEADER, read.token.toString());
    response.setHeader(CONSISTENCY_HEADER, read.consistency);
    if (read.order === undefined) throw ProblemDetailsException.notFound(`There is no order with id ${id}.`);
    response.setHeader('ETag', etagOf(read.order.version));
    return read.order;
  }
}

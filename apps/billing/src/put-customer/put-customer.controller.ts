import type { ServerResponse } from 'node:http';
import { Body, Controller, Param, Put, Res, UseInterceptors } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { REPLICA_TOKEN_HEADER, ReplicaTokenInterceptor } from '@faultline/shared/consistency';
import { ApiProblemResponse } from '@faultline/shared/problem-details';
import { ianaTimeZone } from '@faultline/shared/time';
import { customerView, toCustomerView, type CustomerView } from '../customer-view.js';
import { PutCustomer } from './put-customer.js';
import { Access } from '@faultline/shared/access-control';

export const putCustomerRequest = z
  .object({
    displayName: z.string().trim().min(1).max(200),
    timeZone: ianaTimeZone(),
  })
  .meta({ id: 'PutCustomerRequest' });
export type PutCustomerRequest = z.infer<typeof putCustomerRequest>;

@ApiTags('customers')
@Controller('customers')
export class PutCustomerController {
  constructor(private readonly putCustomer: PutCustomer) {}

  @Put(':id')
  @Access.customerIn('path', 'id')
  // The response carries X-Replica-Token: send it back on the next GET to read this write (article 7).
  @UseInterceptors(ReplicaTokenInterceptor)
  @ApiCreatedResponse({ description: `The profile was created; \`${REPLICA_TOKEN_HEADER}\` makes a later read see it`, standardSchema: customerView })
  @ApiOkResponse({ description: `The profile was replaced; \`${REPLICA_TOKEN_HEADER}\` makes a later read see it`, standardSchema: customerView })
  @ApiProblemResponse(400, 'Malformed JSON, a non-UUID id, or an unknown time zone (see `errors`)')
  async put(
    @Param('id', { schema: z.uuid() }) id: string,
    @Body({ schema: putCustomerRequest }) request: PutCustomerRequest,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CustomerView> {
    const { customer, created } = await this.putCustomer.execute({ id, ...request });
    response.statusCode = created ? 201 : 200;
    if (created) response.setHeader('Location', `/customers/${id}`);
    return toCustomerView(customer);
  }
}

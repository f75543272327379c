import type { ServerResponse } from 'node:http';
import { Body, Controller, Param, Put, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiProblemResponse } from '@faultline/shared/problem-details';
import { ianaTimeZone } from '@faultline/shared/time';
import { customerView, toCustomerView, type CustomerView } from '../customer-view.js';
import { PutCustomer } from './put-customer.js';

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
  @ApiCreatedResponse({ description: 'The profile was created', standardSchema: customerView })
  @ApiOkResponse({ description: 'The profile was replaced', standardSchema: customerView })
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

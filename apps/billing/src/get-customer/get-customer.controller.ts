import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { z } from 'zod';
import { ApiProblemResponse, ProblemDetailsException } from '@faultline/shared/problem-details';
import { customerView, toCustomerView, type CustomerView } from '../customer-view.js';
import { BillingCustomer } from '../entities/index.js';

@ApiTags('customers')
@Controller('customers')
export class GetCustomerController {
  constructor(@InjectRepository(BillingCustomer) private readonly customers: Repository<BillingCustomer>) {}

  @Get(':id')
  @ApiOkResponse({ description: "The customer's billing profile", standardSchema: customerView })
  @ApiProblemResponse(400, 'The id is not a UUID')
  @ApiProblemResponse(404, 'No billing profile has this id')
  async get(@Param('id', { schema: z.uuid() }) id: string): Promise<CustomerView> {
    const customer = await this.customers.findOneBy({ id });
    if (!customer) throw ProblemDetailsException.notFound(`There is no billing customer with id ${id}.`);
    return toCustomerView(customer);
  }
}

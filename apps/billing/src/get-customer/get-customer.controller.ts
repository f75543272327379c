import type { ServerResponse } from 'node:http';
import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { REPLICA_TOKEN_HEADER, ReplicaReadRouter, SERVED_BY_HEADER } from '@faultline/shared/consistency';
import { ApiProblemResponse, ProblemDetailsException } from '@faultline/shared/problem-details';
import { customerView, toCustomerView, type CustomerView } from '../customer-view.js';
import { BillingCustomer } from '../entities/index.js';
import { Access } from '@faultline/shared/access-control';

/**
 * A customer's billing profile: a routed read (article 7). With the `X-Replica-Token` of the
 * caller's last write it is answered by the replica only once the replica has replayed that write,
 * otherwise by the primary; `X-Served-By` says which one answered.
 */
@ApiTags('customers')
@Controller('customers')
export class GetCustomerController {
  constructor(private readonly reads: ReplicaReadRouter) {}

  @Get(':id')
  @Access.customerIn('path', 'id')
  @ApiHeader({ name: REPLICA_TOKEN_HEADER, required: false, description: 'The token of your last write: the answer is at least that fresh' })
  @ApiOkResponse({ description: `The customer's billing profile; \`${SERVED_BY_HEADER}\` names the database that answered`, standardSchema: customerView })
  @ApiProblemResponse(400, 'The id is not a UUID, or the replica token is malformed')
  @ApiProblemResponse(404, 'No billing profile has this id')
  async get(
    @Param('id', { schema: z.uuid() }) id: string,
    @Headers(REPLICA_TOKEN_HEADER.toLowerCase()) replicaToken: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<CustomerView> {
    const customer = await this.reads.read(replicaToken, response, (manager) => manager.findOneBy(BillingCustomer, { id }));
    if (!customer) throw ProblemDetailsException.notFound(`There is no billing customer with id ${id}.`);
    return toCustomerView(customer);
  }
}

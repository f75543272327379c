import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { z } from 'zod';
import { ApiProblemResponse, ProblemDetailsException } from '@faultline/shared/problem-details';
import { authorizationId } from '../authorizations/authorization-id.js';
import { authorizationNotFound } from '../authorizations/authorization-problems.js';
import { authorizationView, toAuthorizationView, type AuthorizationView } from '../authorizations/authorization.schema.js';
import { Authorization } from '../entities/index.js';
import { SimulatedOperation } from '../faults/simulated-operation.js';

export const listAuthorizationsQuery = z.object({ orderReference: z.string().min(1).max(200) });
export type ListAuthorizationsQuery = z.infer<typeof listAuthorizationsQuery>;

export const authorizationList = z.object({ items: z.array(authorizationView) }).meta({ id: 'AuthorizationList' });
export type AuthorizationList = z.infer<typeof authorizationList>;

/** At most this many per answer: enough to count the charges of one order, however badly it was retried. */
const PAGE_LIMIT = 100;

@ApiTags('authorizations')
@Controller('v1/authorizations')
export class ReadAuthorizationsController {
  constructor(@InjectRepository(Authorization) private readonly authorizations: Repository<Authorization>) {}

  @Get()
  @SimulatedOperation('lookup')
  @ApiOkResponse({ description: 'The authorizations for one order reference, oldest first: how tests count charges', standardSchema: authorizationList })
  @ApiProblemResponse(400, '`orderReference` is missing')
  async list(@Query({ schema: listAuthorizationsQuery }) query: ListAuthorizationsQuery): Promise<AuthorizationList> {
    const found = await this.authorizations.find({
      where: { orderReference: query.orderReference },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: PAGE_LIMIT,
    });
    return { items: found.map(toAuthorizationView) };
  }

  @Get(':id')
  @SimulatedOperation('lookup')
  @ApiOkResponse({ description: 'The authorization as the provider has it now', standardSchema: authorizationView })
  @ApiProblemResponse(404, 'No authorization has this id')
  async get(@Param('id', { schema: authorizationId }) id: string): Promise<AuthorizationView> {
    const authorization = await this.authorizations.findOneBy({ id });
    if (!authorization) throw new ProblemDetailsException(authorizationNotFound(id));
    return toAuthorizationView(authorization);
  }
}

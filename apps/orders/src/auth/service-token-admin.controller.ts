import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Access } from '@faultline/shared/access-control';
import { ApiProblemResponse } from '@faultline/shared/problem-details';
import { ServiceTokens } from './service-tokens.js';

const serviceTokenRequest = z.object({ audience: z.enum(['billing', 'notifications']) }).strict();
const issuedServiceToken = z.object({ accessToken: z.string(), tokenType: z.literal('Bearer') });
type IssuedServiceToken = z.infer<typeof issuedServiceToken>;

/**
 * The workshop's way to act as the orders service (article 2): a scenario that calls billing's
 * payments API the way the saga does (article 6's concurrent retries with one key) needs orders'
 * service token. Mounted only when orders started with FAULTLINE_WORKSHOP_MODE=true, like every
 * admin switch; outside the workshop no one but orders itself holds its service tokens.
 */
@ApiTags('admin')
@Controller('admin/service-tokens')
export class ServiceTokenAdminController {
  constructor(private readonly tokens: ServiceTokens) {}

  @Post()
  @Access.public('workshop mode only: the caller is the workshop operator, who holds no service token')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'A service token of orders (`sub orders`) for the audience', standardSchema: issuedServiceToken })
  @ApiProblemResponse(400, 'audience is missing or not a Faultline service orders calls')
  async issue(@Body({ schema: serviceTokenRequest }) { audience }: z.infer<typeof serviceTokenRequest>): Promise<IssuedServiceToken> {
    return { accessToken: await this.tokens.tokenFor(audience), tokenType: 'Bearer' };
  }
}

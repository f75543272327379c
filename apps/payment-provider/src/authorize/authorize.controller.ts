import type { ServerResponse } from 'node:http';
import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey } from '@faultline/shared/idempotency';
import { ApiProblemResponse } from '@faultline/shared/problem-details';
import { authorizationView, authorizeRequest, type AuthorizeRequest } from '../authorizations/authorization.schema.js';
import type { RequestFaults } from '../faults/fault-switch.js';
import { FaultsOfThisRequest } from '../faults/request-faults.js';
import { SimulatedOperation } from '../faults/simulated-operation.js';
import { deliverAnswer } from '../idempotent-requests/deliver-answer.js';
import { Authorize } from './authorize.js';

@ApiTags('authorizations')
@Controller('v1/authorizations')
export class AuthorizeController {
  constructor(private readonly authorize: Authorize) {}

  @Post()
  @HttpCode(201)
  @SimulatedOperation('authorize')
  @ApiHeader({
    name: IDEMPOTENCY_KEY_HEADER,
    required: false,
    description: 'Optional, as at a real provider; without it every call is a new charge. Resend it to retry safely',
  })
  @ApiCreatedResponse({
    description: 'The amount is held on the card (for a key already used with this body: the stored answer, `Idempotent-Replayed: true`)',
    standardSchema: authorizationView,
  })
  @ApiProblemResponse(400, 'Malformed JSON, a body that fails the schema (see `errors`), or an unusable Idempotency-Key')
  @ApiProblemResponse(402, 'Card declined (only while the `decline` fault is on)')
  @ApiProblemResponse(422, 'The Idempotency-Key was already used with a different request')
  @ApiProblemResponse(503, 'Injected failure (`errorRate` fault): nothing was done')
  async create(
    @Body({ schema: authorizeRequest }) request: AuthorizeRequest,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @FaultsOfThisRequest() faults: RequestFaults | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<object> {
    const answer = await this.authorize.execute(request, idempotencyKey, faults?.decline ?? false);
    return deliverAnswer(answer, response);
  }
}

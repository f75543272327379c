import type { ServerResponse } from 'node:http';
import { Body, Controller, HttpCode, Param, Post, Res, applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey } from '@faultline/shared/idempotency';
import { ApiProblemResponse } from '@faultline/shared/problem-details';
import type { AuthorizationTransition } from '../authorizations/authorization.js';
import { authorizationId } from '../authorizations/authorization-id.js';
import { authorizationView, emptyCommandBody, type EmptyCommandBody } from '../authorizations/authorization.schema.js';
import { SimulatedOperation } from '../faults/simulated-operation.js';
import { deliverAnswer } from '../idempotent-requests/deliver-answer.js';
import { TransitionAuthorization } from './transition-authorization.js';

/** The documentation every transition shares. */
const TransitionDocs = () =>
  applyDecorators(
    ApiHeader({ name: IDEMPOTENCY_KEY_HEADER, required: false, description: 'Optional; resend it to retry safely' }),
    ApiOkResponse({ description: 'The authorization after the move (or the stored answer for a known key)', standardSchema: authorizationView }),
    ApiProblemResponse(400, 'A non-empty body, or an unusable Idempotency-Key'),
    ApiProblemResponse(404, 'No authorization has this id'),
    ApiProblemResponse(409, 'Its status does not allow this move (capture a voided one, refund an uncaptured one…)'),
    ApiProblemResponse(422, 'The Idempotency-Key was already used with a different request'),
    ApiProblemResponse(503, 'Injected failure (`errorRate` fault): nothing was done'),
  );

@ApiTags('authorizations')
@Controller('v1/authorizations/:id')
export class TransitionAuthorizationController {
  constructor(private readonly transitions: TransitionAuthorization) {}

  @Post('capture')
  @HttpCode(200)
  @SimulatedOperation('capture')
  @TransitionDocs()
  capture(
    @Param('id', { schema: authorizationId }) id: string,
    @Body({ schema: emptyCommandBody }) _body: EmptyCommandBody,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<object> {
    return this.move(id, 'capture', idempotencyKey, response);
  }

  @Post('void')
  @HttpCode(200)
  @SimulatedOperation('void')
  @TransitionDocs()
  void(
    @Param('id', { schema: authorizationId }) id: string,
    @Body({ schema: emptyCommandBody }) _body: EmptyCommandBody,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<object> {
    return this.move(id, 'void', idempotencyKey, response);
  }

  @Post('refund')
  @HttpCode(200)
  @SimulatedOperation('refund')
  @TransitionDocs()
  refund(
    @Param('id', { schema: authorizationId }) id: string,
    @Body({ schema: emptyCommandBody }) _body: EmptyCommandBody,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: ServerResponse,
  ): Promise<object> {
    return this.move(id, 'refund', idempotencyKey, response);
  }

  private async move(
    id: string,
    transition: AuthorizationTransition,
    idempotencyKey: string | undefined,
    response: ServerResponse,
  ): Promise<object> {
    return deliverAnswer(await this.transitions.execute(id, transition, idempotencyKey), response);
  }
}

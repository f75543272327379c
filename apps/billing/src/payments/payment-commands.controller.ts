import { Body, Controller, HttpCode, Param, Post, UseInterceptors, applyDecorators } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequiresToken } from '@faultline/shared/auth';
import { IDEMPOTENCY_KEY_HEADER, IdempotencyKey } from '@faultline/shared/idempotency';
import { ApiProblemResponse } from '@faultline/shared/problem-details';
import { RequestOrigin, type Origin } from '@faultline/shared/service-defaults';
import { AuthorizePayment } from './authorize-payment.js';
import { ChangePayment } from './change-payment.js';
import type { PaymentAnswer } from './idempotent-provider-call.js';
import { PaymentAnswerHeaders } from './payment-answer-headers.js';
import type { PaymentChange } from './payment-lifecycle.js';
import { authorizePaymentRequest, changePaymentRequest, paymentView, type AuthorizePaymentRequest } from './payments.schema.js';
import { Access } from '@faultline/shared/access-control';

const keyHeader = { name: IDEMPOTENCY_KEY_HEADER, required: true, description: 'Unique per intended operation; resend it to retry safely' };

/** The route of a change of an existing payment, and what it answers besides the problems every command shares. */
const PaymentChangeRoute = (change: PaymentChange, changed: string, conflict: string) =>
  applyDecorators(
    Post(`:paymentId/${change}`),
    HttpCode(200),
    ApiOkResponse({ description: changed, standardSchema: paymentView }),
    ApiProblemResponse(404, 'Billing has no such payment'),
    ApiProblemResponse(409, conflict),
  );

/** The saga's payment steps (contract D): every one idempotent, every one a single provider effect. */
@ApiTags('payments')
// Service tokens only (aud billing): money moves on a service's behalf, never on a user token (article 2).
@RequiresToken('billing')
@Access.services('orders')
@Controller('payments')
@UseInterceptors(PaymentAnswerHeaders)
@ApiHeader(keyHeader)
@ApiProblemResponse(400, 'Malformed JSON, a body that fails the schema (see `errors`), or no Idempotency-Key')
@ApiProblemResponse(422, 'The Idempotency-Key was already used with a different request')
@ApiProblemResponse(502, 'The provider refused the request in a way resending cannot change (needs an operator)')
@ApiProblemResponse(503, 'The provider is unavailable, or its outcome for this key is not known yet: retry with the same key after Retry-After')
export class PaymentCommandsController {
  constructor(
    private readonly authorizePayment: AuthorizePayment,
    private readonly changePayment: ChangePayment,
  ) {}

  @Post('authorizations')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'The charge was authorized (or, for a key already used with this body, the stored answer)', standardSchema: paymentView })
  @ApiProblemResponse(402, 'The provider declined the authorization (replayed for the same key)')
  authorize(
    @Body({ schema: authorizePaymentRequest }) request: AuthorizePaymentRequest,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @RequestOrigin() origin: Origin,
  ): Promise<PaymentAnswer> {
    return this.authorizePayment.execute(request, idempotencyKey, origin);
  }

  @PaymentChangeRoute('capture', 'The payment was captured', 'Only an authorized payment can be captured')
  capture(
    @Param('paymentId', { schema: z.uuid() }) paymentId: string,
    @Body({ schema: changePaymentRequest }) _body: unknown,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @RequestOrigin() origin: Origin,
  ): Promise<PaymentAnswer> {
    return this.changePayment.execute('capture', paymentId, idempotencyKey, origin);
  }

  @PaymentChangeRoute('void', 'The authorization was voided', 'Only an authorized payment can be voided')
  void(
    @Param('paymentId', { schema: z.uuid() }) paymentId: string,
    @Body({ schema: changePaymentRequest }) _body: unknown,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @RequestOrigin() origin: Origin,
  ): Promise<PaymentAnswer> {
    return this.changePayment.execute('void', paymentId, idempotencyKey, origin);
  }

  @PaymentChangeRoute('refund', 'The captured payment was refunded', 'Only a captured payment can be refunded')
  refund(
    @Param('paymentId', { schema: z.uuid() }) paymentId: string,
    @Body({ schema: changePaymentRequest }) _body: unknown,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @RequestOrigin() origin: Origin,
  ): Promise<PaymentAnswer> {
    return this.changePayment.execute('refund', paymentId, idempotencyKey, origin);
  }
}

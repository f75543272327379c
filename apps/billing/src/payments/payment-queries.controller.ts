import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequiresToken } from '@faultline/shared/auth';
import { ApiProblemResponse, ProblemDetailsException } from '@faultline/shared/problem-details';
import { RequestOrigin, type Origin } from '@faultline/shared/service-defaults';
import { IdempotentProviderCall, USABLE_KEY } from './idempotent-provider-call.js';
import { PaymentLedger } from './payment-ledger.js';
import { paymentNotFound } from './payment-problems.js';
import {
  paymentList,
  paymentRequestView,
  paymentView,
  toPaymentView,
  type PaymentList,
  type PaymentRequestView,
  type PaymentView,
} from './payments.schema.js';
import { Access } from '@faultline/shared/access-control';

/**
 * The commands take only such keys, so no request was ever recorded under another one; unchecked, a
 * key with a NUL would fail the lookup with a 500 (PostgreSQL text cannot hold it).
 */
const recordedRequestKey = z.string().regex(USABLE_KEY, 'must be 1 to 255 visible ASCII characters, like the Idempotency-Key of a payment command');

/** Reads of the payments ledger, and of what billing knows about a key (how the saga resolves a lost answer). */
@ApiTags('payments')
// Service tokens only (aud billing), like the commands (article 2).
@RequiresToken('billing')
@Access.services('orders')
@Controller('payments')
export class PaymentQueriesController {
  constructor(
    private readonly ledger: PaymentLedger,
    private readonly requests: IdempotentProviderCall,
  ) {}

  @Get('requests/:idempotencyKey')
  @ApiOkResponse({ description: 'The outcome of the request sent with this key, and its payment or problem', standardSchema: paymentRequestView })
  @ApiProblemResponse(400, 'The key is not 1 to 255 visible ASCII characters: no payment command accepts such a key')
  @ApiProblemResponse(404, 'Billing never received a request with this key')
  async request(
    @Param('idempotencyKey', { schema: recordedRequestKey }) idempotencyKey: string,
    @RequestOrigin() { correlationId }: Origin,
  ): Promise<PaymentRequestView> {
    // A claim no request is working on reads as not received: the same-key retry settles it (article 6).
    const request = await this.requests.lookup(idempotencyKey, correlationId);
    if (!request) throw ProblemDetailsException.notFound(`Billing never received a payment request with Idempotency-Key "${idempotencyKey}".`);
    const view: PaymentRequestView = { idempotencyKey, operation: request.operation, outcome: request.outcome };
    if (request.outcome === 'succeeded') view.payment = paymentView.parse(request.responseBody);
    if (request.outcome === 'failed') view.problem = { ...request.responseBody };
    return view;
  }

  @Get(':paymentId')
  @ApiOkResponse({ description: 'The payment as the provider last reported it', standardSchema: paymentView })
  @ApiProblemResponse(404, 'Billing has no such payment')
  async get(@Param('paymentId', { schema: z.uuid() }) paymentId: string): Promise<PaymentView> {
    const payment = await this.ledger.find(paymentId);
    if (!payment) throw paymentNotFound(paymentId);
    return toPaymentView(payment);
  }

  @Get()
  @ApiOkResponse({ description: "The order's payments, oldest first", standardSchema: paymentList })
  @ApiProblemResponse(400, 'orderId is missing or not a UUID')
  async list(@Query('orderId', { schema: z.uuid() }) orderId: string): Promise<PaymentList> {
    return { items: (await this.ledger.listForOrder(orderId)).map(toPaymentView) };
  }
}

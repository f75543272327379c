import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiProblemResponse, ProblemDetailsException } from '@faultline/shared/problem-details';
import { SimulatedOperation } from '../faults/simulated-operation.js';
import { RequestLedger } from '../idempotent-requests/request-ledger.js';
import { requestRecordView, type RequestRecordView } from './request-record.schema.js';

/**
 * How a client resolves an unknown outcome (article 6): after a timeout or a cut connection it asks
 * what became of its key instead of charging again. 404 means the provider never committed a request
 * with that key, so sending it again is safe.
 */
@ApiTags('authorizations')
@Controller('v1/requests')
export class LookupRequestController {
  constructor(private readonly ledger: RequestLedger) {}

  @Get(':idempotencyKey')
  @SimulatedOperation('lookup')
  @ApiOkResponse({ description: 'What the provider did with the request sent with this key, and what it answered', standardSchema: requestRecordView })
  @ApiProblemResponse(404, 'The provider never received (or never finished) a request with this key')
  async lookup(@Param('idempotencyKey', { schema: z.string().min(1).max(255) }) idempotencyKey: string): Promise<RequestRecordView> {
    const record = await this.ledger.find(idempotencyKey);
    if (!record?.status || !record.responseBody) {
      throw ProblemDetailsException.notFound(`The provider has no request with Idempotency-Key ${idempotencyKey}.`);
    }
    return { idempotencyKey, operation: record.operation, status: record.status, response: record.responseBody };
  }
}

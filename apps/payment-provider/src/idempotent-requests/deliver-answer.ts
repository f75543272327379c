import type { ServerResponse } from 'node:http';
import { IDEMPOTENT_REPLAYED_HEADER } from '@faultline/shared/idempotency';
import { ProblemDetailsException, problemDetailsSchema } from '@faultline/shared/problem-details';
import type { LedgerAnswer } from './request-ledger.js';

/**
 * Sends a command's answer, stored or fresh: its status and body, or its problem through the shared
 * problem+json filter. `Idempotent-Replayed: true` tells the client it got an earlier answer again.
 */
export function deliverAnswer(answer: LedgerAnswer, response: ServerResponse): object {
  if (answer.replayed) response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
  // The filter sets `instance` and `requestId` to this request's, also on a replayed problem.
  if (answer.status >= 400) throw new ProblemDetailsException(problemDetailsSchema.parse(answer.body));
  response.statusCode = answer.status;
  return answer.body;
}

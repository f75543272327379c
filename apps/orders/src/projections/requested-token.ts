import { ConsistencyToken } from '@faultline/shared/consistency';
import { ProblemDetailsException } from '@faultline/shared/problem-details';

/** The caller's `X-Consistency-Token`; a 400 problem naming the fix when it is not one of ours. */
export function requestedToken(header: string | undefined): ConsistencyToken | undefined {
  const parsed = ConsistencyToken.parse(header);
  if (!(parsed instanceof Error)) return parsed;
  throw new ProblemDetailsException({
    type: 'urn:faultline:problem:invalid-consistency-token',
    title: 'Invalid consistency token',
    status: 400,
    detail: `X-Consistency-Token: ${parsed.message}.`,
  });
}

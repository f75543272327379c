import { ConcurrencyConflictError } from '@faultline/shared/event-store';
import { ProblemDetailsException } from '@faultline/shared/problem-details';
import type { OrderRejection } from './order.js';

/** A refused command as the problem a client sees: 404 for an unknown order, 409 for a wrong state. */
export function rejectionProblem(rejection: OrderRejection): ProblemDetailsException {
  if (rejection.code === 'order-not-found') return ProblemDetailsException.notFound(rejection.reason);
  return new ProblemDetailsException({
    type: `urn:faultline:problem:${rejection.code}`,
    title: 'The order is not in a state that allows this',
    status: 409,
    detail: rejection.reason,
  });
}

/** Runs a command, answering a lost optimistic-concurrency race with a 409 the client can act on. */
export async function answeringConflictsWith409<Result>(command: () => Promise<Result>): Promise<Result> {
  try {
    return await command();
  } catch (error) {
    if (!(error instanceof ConcurrencyConflictError)) throw error;
    throw new ProblemDetailsException({
      type: ConcurrencyConflictError.problemType,
      title: 'Concurrent modification',
      status: 409,
      detail: `Order ${error.streamId} changed while this request was deciding; read it again and retry.`,
    });
  }
}

/** The entity tag of an order at a version: the consistency token as an HTTP validator. */
export const etagOf = (version: number): string => `"${version}"`;

/** 412 when the client's `If-Match` names another version than the order is at. */
export function versionMismatchProblem(orderId: string, ifMatch: string, version: number): ProblemDetailsException {
  return new ProblemDetailsException({
    type: 'urn:faultline:problem:precondition-failed',
    title: 'Precondition Failed',
    status: 412,
    detail: `Order ${orderId} is at ETag ${etagOf(version)}, not ${ifMatch}; read it again and decide on what it is now.`,
  });
}

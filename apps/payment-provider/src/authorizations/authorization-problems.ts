import { ProblemDetailsException, type ProblemDetails } from '@faultline/shared/problem-details';
import { requiredStatus, type AuthorizationStatus, type AuthorizationTransition } from './authorization.js';

export const AuthorizationProblemType = {
  /** The issuer refused the charge (only while the `decline` fault is on). */
  cardDeclined: 'urn:faultline:problem:card-declined',
  /** The authorization is not in the status this command needs (capture a voided one…). */
  stateConflict: 'urn:faultline:problem:authorization-state-conflict',
} as const;

/** 402: recorded under the request's Idempotency-Key like a success, so a retry is declined again. */
export function cardDeclined(): ProblemDetails {
  return {
    type: AuthorizationProblemType.cardDeclined,
    title: 'Card declined',
    status: 402,
    detail: 'The issuer declined this charge. Do not retry it as it is: ask the customer for another payment method.',
  };
}

export function authorizationStateConflict(id: string, status: AuthorizationStatus, transition: AuthorizationTransition): ProblemDetails {
  return {
    type: AuthorizationProblemType.stateConflict,
    title: 'The authorization is not in a state that allows this',
    status: 409,
    detail: `Authorization ${id} is ${status}; ${transition} needs it to be ${requiredStatus(transition)}.`,
  };
}

export function authorizationNotFound(id: string): ProblemDetails {
  return ProblemDetailsException.notFound(`There is no authorization with id ${id}.`).problem;
}

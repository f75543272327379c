import type { ProblemDetailsException } from '@faultline/shared/problem-details';
import { DependencyClientError, DependencyTimeoutError } from '@faultline/shared/resilience';
import {
  PaymentDeclinedError,
  ProviderConflictError,
  type ProviderAuthorization,
  type ProviderRequestRecord,
} from '../payment-provider/index.js';
import type { PaymentOperation } from './payment-lifecycle.js';
import { paymentDeclined, paymentProviderRefused, paymentStateConflict } from './payment-problems.js';

/** A settled provider call: the charge it made, or a refusal that is the request's final outcome. */
export type ProviderOutcome = { kind: 'succeeded'; authorization: ProviderAuthorization } | { kind: 'failed'; problem: ProblemDetailsException };

export type ProviderFailure =
  /** The provider said no; it keeps that answer under the key, so billing records it as final. */
  | { kind: 'refused'; problem: ProblemDetailsException }
  /** No answer in time: the charge may or may not exist (article 6) — ask the provider by key. */
  | { kind: 'timed-out'; error: DependencyTimeoutError }
  /** Unavailable or unexpected: nothing is known, the request stays in flight for a retry with the same key. */
  | { kind: 'unsettled' };

/** Pure: what a provider call's error says about the request's outcome. */
export function classifyProviderFailure(error: unknown): ProviderFailure {
  if (error instanceof PaymentDeclinedError) return { kind: 'refused', problem: paymentDeclined(error.message) };
  if (error instanceof ProviderConflictError) return { kind: 'refused', problem: paymentStateConflict(error.message) };
  // Any other 4xx is recorded under the provider key too, so resending could never change it.
  if (error instanceof DependencyClientError) return { kind: 'refused', problem: paymentProviderRefused(error) };
  if (error instanceof DependencyTimeoutError) return { kind: 'timed-out', error };
  return { kind: 'unsettled' };
}

/** Pure: the outcome the provider's record of a key establishes; undefined when it has none (yet). */
export function outcomeOfLookup(operation: PaymentOperation, providerKey: string, record: ProviderRequestRecord | undefined): ProviderOutcome | undefined {
  if (record?.status === 'succeeded' && record.authorization) return { kind: 'succeeded', authorization: record.authorization };
  if (record?.status !== 'failed') return undefined;
  const detail = `The payment provider refused the ${operation} request with key ${providerKey}.`;
  return { kind: 'failed', problem: operation === 'authorize' ? paymentDeclined(detail) : paymentStateConflict(detail) };
}

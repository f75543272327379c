import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DependencyClientError, DependencyTimeoutError, DependencyUnavailableError } from '@faultline/shared/resilience';
import { PaymentDeclinedError, ProviderConflictError, type ProviderAuthorization } from '../payment-provider/index.js';
import { classifyProviderFailure, outcomeOfLookup } from './provider-outcome.js';

const problemOf = (failure: ReturnType<typeof classifyProviderFailure>) => (failure.kind === 'refused' ? failure.problem.problem : undefined);

describe('classifyProviderFailure', () => {
  it('takes a declined card, a refused transition and any other 4xx as the final outcome, with 402, 409 and 502', () => {
    assert.deepEqual(
      [new PaymentDeclinedError(), new ProviderConflictError(), new DependencyClientError(404, 'no such authorization')]
        .map((error) => problemOf(classifyProviderFailure(error)))
        .map((problem) => [problem?.status, problem?.type]),
      [
        [402, 'urn:faultline:problem:payment-declined'],
        [409, 'urn:faultline:problem:payment-state-conflict'],
        [502, 'urn:faultline:problem:payment-provider-refused'],
      ],
    );
  });

  it('takes a timeout as an unknown outcome to look up, and an unavailable provider or a bug as nothing settled', () => {
    const timeout = new DependencyTimeoutError('payment-provider', 2_000);
    assert.deepEqual(classifyProviderFailure(timeout), { kind: 'timed-out', error: timeout });
    assert.deepEqual(classifyProviderFailure(new DependencyUnavailableError('payment-provider', 5)), { kind: 'unsettled' });
    assert.deepEqual(classifyProviderFailure(new TypeError('undefined is not a function')), { kind: 'unsettled' });
  });
});

describe('outcomeOfLookup', () => {
  const authorization: ProviderAuthorization = {
    id: 'auth_1',
    status: 'authorized',
    amountMinor: 100,
    currency: 'EUR',
    customerReference: 'c',
    orderReference: 'o',
  };

  it('takes the charge the provider recorded under the key as the outcome', () => {
    assert.deepEqual(outcomeOfLookup('authorize', 'billing:authorize:k', { status: 'succeeded', authorization }), {
      kind: 'succeeded',
      authorization,
    });
  });

  it('takes a recorded refusal as a decline for an authorization and a state conflict for a change', () => {
    const statusFor = (operation: 'authorize' | 'capture') => {
      const outcome = outcomeOfLookup(operation, `billing:${operation}:k`, { status: 'failed' });
      return outcome?.kind === 'failed' ? outcome.problem.problem.status : undefined;
    };
    assert.deepEqual([statusFor('authorize'), statusFor('capture')], [402, 409]);
  });

  it('establishes nothing when the provider never received the key', () => {
    assert.equal(outcomeOfLookup('authorize', 'billing:authorize:k', undefined), undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidEventError } from '../contracts/index.js';
import { BusinessRuleViolation, classifyFailure } from './failure-classification.js';
import { DEFAULT_FAILURE_POLICY, backoffDelayMs, validFailurePolicy } from './failure-policy.js';
import { RETRY_HEADERS, RetryTopics, originOf, withoutRetryHeaders } from './retry-topics.js';

describe('failure classification', () => {
  it('treats schema and business failures as non-retryable and everything else as transient', () => {
    const pgError = (code: string) => Object.assign(new Error('pg'), { name: 'QueryFailedError', code });
    assert.deepEqual(
      [
        new InvalidEventError('unknown event type'),
        new SyntaxError('Unexpected end of JSON input'),
        new BusinessRuleViolation('refund exceeds charge'),
        pgError('23505'),
        pgError('22003'),
        pgError('08006'),
        pgError('57P01'),
        new Error('Connection terminated due to connection timeout'),
        'a string thrown by a library',
      ].map((error) => [classifyFailure(error).failureClass, classifyFailure(error).retryable]),
      [
        ['schema-invalid', false],
        ['schema-invalid', false],
        ['business-invalid', false],
        ['business-invalid', false],
        ['business-invalid', false],
        ['transient', true],
        ['transient', true],
        ['transient', true],
        ['transient', true],
      ],
    );
  });
});

describe('failure policy', () => {
  it('backs off exponentially up to the cap, jittered between half and all of the step', () => {
    const policy = { ...DEFAULT_FAILURE_POLICY, backoffBaseMs: 100, backoffMaxMs: 350 };
    assert.deepEqual([1, 2, 3, 4].map((attempt) => backoffDelayMs(policy, attempt, () => 1)), [100, 200, 350, 350]);
    assert.deepEqual([1, 2, 3].map((attempt) => backoffDelayMs(policy, attempt, () => 0)), [50, 100, 175]);
  });

  it('refuses a policy with no attempt or a retry delay of zero, naming the consumer and the field', () => {
    assert.throws(
      () => validFailurePolicy('billing-orders', { ...DEFAULT_FAILURE_POLICY, inProcessAttempts: 0, retryDelaysMs: [10, 0] }),
      /consumer billing-orders: invalid failure policy: inProcessAttempts must be an integer >= 1; every retryDelaysMs entry must be > 0/,
    );
  });
});

describe('retry topics', () => {
  it("are named after the consumer group, one per delay, plus the redrive topic", () => {
    const topics = new RetryTopics('billing-orders', [10_000, 60_000]);
    assert.deepEqual(topics.all, ['billing-orders.retry.1', 'billing-orders.retry.2', 'billing-orders.redrive']);
    assert.deepEqual(
      ['billing-orders.retry.2', 'billing-orders.redrive', 'orders.order.events'].map((topic) => topics.stageOf(topic)),
      [2, 0, undefined],
    );
  });

  it('carry the source record through, so a retried record is still known by its source offset', () => {
    const record = {
      topic: 'billing-orders.retry.1',
      partition: 0,
      offset: '7',
      key: 'order-1',
      value: '{}',
      headers: {
        traceparent: '00-abc-def-01',
        [RETRY_HEADERS.sourceTopic]: 'orders.order.events',
        [RETRY_HEADERS.sourcePartition]: '2',
        [RETRY_HEADERS.sourceOffset]: '41',
        [RETRY_HEADERS.attempts]: '3',
        [RETRY_HEADERS.firstFailureAt]: '2026-11-28T10:00:00.000Z',
      },
    };
    assert.deepEqual(originOf(record), {
      topic: 'orders.order.events',
      partition: 2,
      offset: '41',
      attempts: 3,
      firstFailureAt: new Date('2026-11-28T10:00:00.000Z'),
      notBefore: undefined,
    });
    assert.deepEqual(withoutRetryHeaders(record.headers), { traceparent: '00-abc-def-01' });
    assert.deepEqual(originOf({ ...record, headers: {} }), { topic: record.topic, partition: 0, offset: '7', attempts: 0, firstFailureAt: undefined, notBefore: undefined });
  });
});

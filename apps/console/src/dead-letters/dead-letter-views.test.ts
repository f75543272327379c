import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeadLetter } from '@faultline/shared/dead-letter';
import { LISTED_DEAD_LETTERS, deadLetterTopicView, deadLetterTopicsIn } from './dead-letter-views.js';

describe('deadLetterTopicsIn', () => {
  it("finds each consumer's dead-letter topic in a service's /metrics, whatever the label order", () => {
    const text = [
      '# HELP dead_letter_depth Dead letters waiting',
      '# TYPE dead_letter_depth gauge',
      'dead_letter_depth{consumer="notifications-orders",topic="notifications-orders.dlq",service="notifications"} 0',
      'dead_letter_depth{service="notifications",topic="notifications-payments.dlq",consumer="notifications-payments"} 2',
      'dead_letter_depth_other{consumer="x",topic="x.dlq"} 1',
      'dead_letter_oldest_age_seconds{consumer="notifications-orders",topic="notifications-orders.dlq"} 0',
    ].join('\n');
    assert.deepEqual(deadLetterTopicsIn(text), [
      { consumer: 'notifications-orders', topic: 'notifications-orders.dlq' },
      { consumer: 'notifications-payments', topic: 'notifications-payments.dlq' },
    ]);
  });

  it('finds none in a service without consumers', () => {
    assert.deepEqual(deadLetterTopicsIn('# TYPE http_requests_total counter\nhttp_requests_total{route="/health"} 3\n'), []);
  });
});

describe('deadLetterTopicView', () => {
  const letter = (id: number, firstFailureAt: string): DeadLetter => ({
    id: String(id),
    deadLetteredAt: new Date(firstFailureAt),
    key: `order-${id}`,
    value: '{}',
    headers: {},
    reason: 'retries-exhausted',
    errorClass: 'DatabaseUnavailable',
    errorMessage: 'connect ECONNREFUSED',
    source: { topic: 'orders.order.events', partition: 2, offset: String(100 + id) },
    consumer: { name: 'billing-orders', version: '0.1.0' },
    firstFailureAt: new Date(firstFailureAt),
    attempts: 5,
    retryable: true,
    traceId: 'abc',
  });

  it('counts every waiting letter, ages the oldest and lists the newest first', () => {
    const waiting = Array.from({ length: LISTED_DEAD_LETTERS + 5 }, (_, index) => letter(index, `2026-12-05T10:00:${String(index).padStart(2, '0')}Z`));
    const view = deadLetterTopicView('billing', 'billing-orders', 'billing-orders.dlq', waiting, new Date('2026-12-05T10:01:00Z'));
    assert.equal(view.depth, LISTED_DEAD_LETTERS + 5);
    assert.equal(view.oldestAgeSeconds, 60);
    assert.equal(view.letters.length, LISTED_DEAD_LETTERS);
    assert.equal(view.letters[0]?.id, String(LISTED_DEAD_LETTERS + 4));
    assert.equal(view.letters[0]?.source, `orders.order.events/2@${100 + LISTED_DEAD_LETTERS + 4}`);
  });

  it('says 0 s and lists nothing when no letter waits', () => {
    assert.deepEqual(deadLetterTopicView('billing', 'billing-orders', 'billing-orders.dlq', [], new Date()), {
      service: 'billing',
      consumer: 'billing-orders',
      topic: 'billing-orders.dlq',
      depth: 0,
      oldestAgeSeconds: 0,
      letters: [],
    });
  });
});

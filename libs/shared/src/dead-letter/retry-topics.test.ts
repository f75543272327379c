import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { originOf, RETRY_HEADERS } from './retry-topics.js';

const retried = (headers: Record<string, string>) =>
  originOf({ topic: 'billing-orders.retry.10s', partition: 0, offset: '7', key: 'a', value: '{}', headers });

describe('a retried record\'s origin', () => {
  it('reads when it is due, how often it was tried and where it came from', () => {
    const origin = retried({
      [RETRY_HEADERS.notBefore]: '2026-11-29T01:00:10.000Z',
      [RETRY_HEADERS.attempts]: '3',
      [RETRY_HEADERS.sourceTopic]: 'orders.order.events',
      [RETRY_HEADERS.sourcePartition]: '2',
      [RETRY_HEADERS.sourceOffset]: '41',
    });
    assert.equal(origin.notBefore?.toISOString(), '2026-11-29T01:00:10.000Z');
    assert.deepEqual([origin.attempts, origin.topic, origin.partition, origin.offset], [3, 'orders.order.events', 2, '41']);
  });

  it('takes an unreadable not-before as due now, so the partition never pauses on a NaN wait', () => {
    assert.equal(retried({ [RETRY_HEADERS.notBefore]: 'tomorrow-ish' }).notBefore, undefined);
  });

  it('counts unreadable or negative attempts as none', () => {
    assert.equal(retried({ [RETRY_HEADERS.attempts]: 'many' }).attempts, 0);
    assert.equal(retried({ [RETRY_HEADERS.attempts]: '-2' }).attempts, 0);
  });
});

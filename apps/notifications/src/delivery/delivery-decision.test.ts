import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ContactPreferences } from '../entities/index.js';
import { decideDelivery, quietHoursHold } from './delivery-decision.js';

const preferences = (quiet: [string, string] | null, timeZone = 'America/New_York') =>
  Object.assign(new ContactPreferences(), {
    customerId: '0b6f4b8e-2f7c-4c1a-9d3e-5a6b7c8d9e0f',
    email: 'ada@example.com',
    timeZone,
    quietHoursStart: quiet?.[0] ?? null,
    quietHoursEnd: quiet?.[1] ?? null,
    updatedAt: new Date('2026-01-01T00:00:00Z'),
  });
// 23:30 in New York on 7 Mar 2026, the night clocks go forward.
const lateEvening = new Date('2026-03-08T04:30:00Z');

describe('the delivery decision', () => {
  it('holds an acknowledgement inside quiet hours until they end, 07:00 EDT after the spring-forward night', () => {
    assert.deepEqual(decideDelivery('order-placed', preferences(['22:00', '07:00']), lateEvening), {
      action: 'hold',
      until: new Date('2026-03-08T11:00:00Z'),
    });
  });

  it('never holds transactional mail: rejection, cancellation, refund, receipt', () => {
    for (const kind of ['order-rejected', 'order-cancelled', 'order-refunded', 'payment-receipt'] as const) {
      assert.deepEqual(decideDelivery(kind, preferences(['22:00', '07:00']), lateEvening), {
        action: 'send',
        to: 'ada@example.com',
        timeZone: 'America/New_York',
      });
      assert.equal(quietHoursHold(kind, preferences(['22:00', '07:00']), lateEvening), undefined);
    }
  });

  it('sends outside quiet hours and when the customer has none', () => {
    assert.equal(decideDelivery('order-placed', preferences(['22:00', '07:00']), new Date('2026-03-08T11:00:00Z')).action, 'send');
    assert.equal(decideDelivery('order-placed', preferences(null), lateEvening).action, 'send');
  });

  it('has nowhere to send when the customer set no contact preferences', () => {
    assert.deepEqual(decideDelivery('payment-receipt', null, lateEvening), { action: 'no-address' });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consumerGroupViews, isServiceGroup } from './consumer-group-views.js';

describe('consumerGroupViews', () => {
  it('sums what each group has still to read per topic, most behind first, naming the partitions that lag', () => {
    const views = consumerGroupViews([
      {
        groupId: 'notifications',
        state: 'Stable',
        members: 1,
        topics: [{ topic: 'orders.order.events', partitions: [{ partition: 0, start: 0n, committed: 12n, end: 12n }] }],
      },
      {
        groupId: 'billing',
        state: 'Empty',
        members: 0,
        topics: [
          {
            topic: 'orders.order.events',
            partitions: [
              { partition: 0, start: 0n, committed: 10n, end: 12n },
              { partition: 1, start: 0n, committed: 7n, end: 8n },
              { partition: 2, start: 0n, committed: 5n, end: 5n },
            ],
          },
        ],
      },
    ]);
    assert.deepEqual(views, [
      {
        groupId: 'billing',
        state: 'Empty',
        members: 0,
        topic: 'orders.order.events',
        lag: 3,
        behind: [
          { partition: 0, committed: 10, end: 12 },
          { partition: 1, committed: 7, end: 8 },
        ],
      },
      { groupId: 'notifications', state: 'Stable', members: 1, topic: 'orders.order.events', lag: 0, behind: [] },
    ]);
  });
});

describe('isServiceGroup', () => {
  it("leaves out watchers', readers' and consoles' throwaway groups", () => {
    assert.equal(isServiceGroup('billing'), true);
    assert.equal(isServiceGroup('orders-fulfilment'), true);
    assert.equal(isServiceGroup('scenarios-watch-3f1c2b9a-1d2e-4f5a-8b9c-0d1e2f3a4b5c'), false);
    assert.equal(isServiceGroup('orders-read-3f1c2b9a-1d2e-4f5a-8b9c-0d1e2f3a4b5c'), false);
    assert.equal(isServiceGroup('faultline-console-3f1c2b9a-1d2e-4f5a-8b9c-0d1e2f3a4b5c'), false);
  });
});

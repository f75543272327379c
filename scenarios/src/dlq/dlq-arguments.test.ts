import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandLine, durationMs } from './dlq-arguments.js';

describe('dlq command arguments', () => {
  it('reads the command, the consumer and the filters, defaulting the topic to <consumer>.dlq', () => {
    const args = commandLine.parse(['redrive', '--consumer', 'billing-orders', '--error-class', 'Error', '--older-than', '2h', '--rate', '5']);
    assert.deepEqual(args, {
      command: 'redrive',
      consumer: 'billing-orders',
      topic: 'billing-orders.dlq',
      perSecond: 5,
      filter: { ids: undefined, errorClass: 'Error', reason: undefined, olderThanMs: 7_200_000, includeResolved: false },
    });
  });

  it('refuses a purge without a filter, so nothing is archived wholesale by accident', () => {
    assert.throws(() => commandLine.parse(['purge', '--consumer', 'billing-orders']), /purge needs a filter/);
  });

  it('names what is wrong with an unknown command, a missing consumer or a bad duration', () => {
    assert.throws(() => commandLine.parse(['delete', '--consumer', 'x']), /unknown command "delete"/);
    assert.throws(() => commandLine.parse(['list']), /--consumer is required/);
    assert.throws(() => durationMs('2 hours'), /--older-than takes a number and a unit/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationError } from '../config/index.js';
import {
  EVENT_CONSUMER_DEFAULTS,
  consumerOrdering,
  requireAllowedConsumerOrdering,
  sweepIntervalFor,
} from './event-consumer-options.js';

describe('event consumer options', () => {
  it('looks for expired gaps three times per hold bound, so a gap is dead-lettered at most a third of the bound late', () => {
    assert.equal(sweepIntervalFor(3_000), 1_000);
    assert.equal(sweepIntervalFor(EVENT_CONSUMER_DEFAULTS.holdBoundMs), 5_000);
  });

  it('never sweeps more often than every 100 ms nor less often than every 5 s', () => {
    assert.equal(sweepIntervalFor(30), 100);
    assert.equal(sweepIntervalFor(3_600_000), 5_000);
  });
});

describe('event consumer ordering switch (article 4)', () => {
  const consumer = { name: 'billing-orders', topics: ['orders.order.events'] };

  it('defaults to the ordering guard when the environment does not set it', () => {
    assert.equal(consumerOrdering().parse(undefined), 'guarded');
    assert.equal(consumerOrdering().safeParse('random').success, false);
  });

  it('refuses naive ordering outside workshop mode, naming the variable that allows it', () => {
    assert.throws(
      () => requireAllowedConsumerOrdering('billing', { ...consumer, ordering: 'naive' }, {}),
      (error: unknown) =>
        error instanceof ConfigurationError &&
        /billing-orders option ordering: "naive".*article 4.*FAULTLINE_WORKSHOP_MODE=true/s.test(error.message),
    );
  });

  it('allows naive ordering in workshop mode, and guarded ordering anywhere', () => {
    const naive = requireAllowedConsumerOrdering('billing', { ...consumer, ordering: 'naive' }, { FAULTLINE_WORKSHOP_MODE: 'true' });
    assert.equal(naive.ordering, 'naive');
    assert.equal(requireAllowedConsumerOrdering('billing', consumer, {}).ordering, undefined);
  });
});

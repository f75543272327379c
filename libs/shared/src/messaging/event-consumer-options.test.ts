import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationError } from '../config/index.js';
import {
  EVENT_CONSUMER_DEFAULTS,
  consumerFailureHandling,
  consumerOrdering,
  requireAllowedConsumerOrdering,
  retryDelaysMs,
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

describe('event consumer failure switch and retry delays (article 3)', () => {
  const consumer = { name: 'billing-orders', topics: ['orders.order.events'] };

  it('defaults to the failure policy and refuses naive failure handling outside workshop mode', () => {
    assert.equal(consumerFailureHandling().parse(undefined), 'policy');
    assert.throws(
      () => requireAllowedConsumerOrdering('billing', { ...consumer, failures: 'naive' }, {}),
      (error: unknown) =>
        error instanceof ConfigurationError &&
        /billing-orders option failures: "naive".*article 3.*FAULTLINE_WORKSHOP_MODE=true/s.test(error.message),
    );
    const naive = requireAllowedConsumerOrdering('billing', { ...consumer, failures: 'naive' }, { FAULTLINE_WORKSHOP_MODE: 'true' });
    assert.equal(naive.failures, 'naive');
  });

  it('reads retry delays as a comma-separated list of milliseconds, and nothing when unset', () => {
    assert.deepEqual(retryDelaysMs().parse('1000,3000'), [1_000, 3_000]);
    assert.equal(retryDelaysMs().parse(undefined), undefined);
    assert.equal(retryDelaysMs().safeParse('1s,3s').success, false);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationError } from '../config/index.js';
import { DEFAULT_PEER_PROBE_INTERVAL_MS, resolveServiceClock } from './service-clock.js';

const peers = { orders: 'http://127.0.0.1:3101' };

describe('resolveServiceClock', () => {
  it('runs on the machine clock, without the admin switch, outside workshop mode', () => {
    assert.deepEqual(resolveServiceClock('billing', { skewMs: 0, skewVariable: 'BILLING_CLOCK_SKEW_MS', peers }, {}), {
      skewMs: 0,
      adminClock: false,
      peers,
      probeIntervalMs: DEFAULT_PEER_PROBE_INTERVAL_MS,
    });
  });

  it('refuses a skew outside workshop mode, naming the variable and FAULTLINE_WORKSHOP_MODE (article 2)', () => {
    assert.throws(
      () => resolveServiceClock('billing', { skewMs: 31_000, skewVariable: 'BILLING_CLOCK_SKEW_MS', peers }, {}),
      (error: unknown) =>
        error instanceof ConfigurationError && /BILLING_CLOCK_SKEW_MS=31000/.test(error.message) && /FAULTLINE_WORKSHOP_MODE=true/.test(error.message),
    );
  });

  it('takes the skew and mounts PUT /admin/clock in workshop mode', () => {
    const clock = resolveServiceClock('billing', { skewMs: -2_000, skewVariable: 'BILLING_CLOCK_SKEW_MS', peers }, { FAULTLINE_WORKSHOP_MODE: 'true' });
    assert.equal(clock.skewMs, -2_000);
    assert.equal(clock.adminClock, true);
  });
});

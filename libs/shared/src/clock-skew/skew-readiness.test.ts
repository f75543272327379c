import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { skewWithin, type PeerSkew } from './skew-readiness.js';

// Half of the 30 s token tolerance.
const ready = skewWithin(15_000);
const measured = (offsetMs: number): PeerSkew => ({ offsetMs, delayMs: 4, errorBoundMs: 2 });

describe('skewWithin(half the tolerance)', () => {
  it('is up while every peer is within 15 s, in either direction', () => {
    const result = ready(new Map([['billing', measured(14_900)], ['notifications', measured(-15_000)]]));
    assert.equal(result.status, 'up');
    assert.equal(result.detail, '2 of 2 peer clock(s) measured, all within 15 s');
  });

  it('goes down past 15 s, naming the peer and the direction', () => {
    const result = ready(new Map([['billing', measured(2)], ['notifications', measured(-15_001)]]));
    assert.equal(result.status, 'down');
    assert.match(result.detail, /^clock skew beyond 15 s: notifications is 15\.001 s behind — .*NTP/);
    assert.deepEqual(Object.keys(result.peers), ['billing', 'notifications']);
  });

  it('stays up when a peer cannot be reached, because its skew is unknown rather than large', () => {
    const result = ready(new Map<string, PeerSkew>([['billing', { error: 'connection refused' }]]));
    assert.equal(result.status, 'up');
    assert.equal(result.detail, '0 of 1 peer clock(s) measured, all within 15 s');
  });
});

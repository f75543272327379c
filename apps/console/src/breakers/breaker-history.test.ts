import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BreakerHistory, breakerViews } from './breaker-history.js';

const metrics = (state: number, transitions: Record<string, number>) =>
  [
    `faultline_dependency_breaker_state{dependency="payment-provider"} ${state}`,
    ...Object.entries(transitions).map(([change, count]) => {
      const [from, to] = change.split('>');
      return `faultline_dependency_breaker_transitions_total{dependency="payment-provider",from="${from}",to="${to}"} ${count}`;
    }),
    'faultline_dependency_calls_total{dependency="payment-provider",outcome="timeout"} 10',
    'faultline_dependency_calls_total{dependency="payment-provider",outcome="rejected"} 95',
  ].join('\n');

describe('breakerViews', () => {
  it("reads each dependency's breaker state and calls by outcome", () => {
    assert.deepEqual(breakerViews('billing', metrics(2, {})), [
      { service: 'billing', dependency: 'payment-provider', state: 'open', calls: { timeout: 10, rejected: 95 } },
    ]);
    assert.equal(breakerViews('billing', metrics(1, {}))[0]?.state, 'half-open');
    assert.deepEqual(breakerViews('orders', 'http_requests_total 3'), []);
  });
});

describe('BreakerHistory', () => {
  it('lists a transition when its counter grows, newest first, and not what a service counted before it was first seen', () => {
    const history = new BreakerHistory();
    history.observe(new Date('2026-12-05T10:00:00Z'), 'billing', metrics(2, { 'closed>open': 3 }));
    assert.deepEqual(history.recent(), []);
    history.observe(new Date('2026-12-05T10:00:01Z'), 'billing', metrics(2, { 'closed>open': 4 }));
    history.observe(new Date('2026-12-05T10:00:05Z'), 'billing', metrics(1, { 'closed>open': 4, 'open>half-open': 1 }));
    assert.deepEqual(
      history.recent().map(({ at, from, to }) => `${at.slice(17, 19)} ${from}→${to}`),
      ['05 open→half-open', '01 closed→open'],
    );
  });

  it('takes a service seen again after it stopped answering for a new process, counting from its own baseline', () => {
    const history = new BreakerHistory();
    history.observe(new Date('2026-12-05T10:00:00Z'), 'billing', metrics(0, {}));
    history.observe(new Date('2026-12-05T10:00:01Z'), 'billing', metrics(2, { 'closed>open': 1 }));
    history.forget('billing');
    history.observe(new Date('2026-12-05T10:01:00Z'), 'billing', metrics(0, {}));
    history.observe(new Date('2026-12-05T10:01:01Z'), 'billing', metrics(2, { 'closed>open': 1 }));
    assert.deepEqual(
      history.recent().map(({ at }) => at.slice(14, 19)),
      ['01:01', '00:01'],
    );
  });

  it('counts a counter that fell (a restart between two looks) from zero, and keeps only the newest', () => {
    const history = new BreakerHistory(3);
    history.observe(new Date('2026-12-05T10:00:00Z'), 'billing', metrics(0, { 'closed>open': 5 }));
    history.observe(new Date('2026-12-05T10:00:01Z'), 'billing', metrics(2, { 'closed>open': 2 }));
    history.observe(new Date('2026-12-05T10:00:02Z'), 'billing', metrics(2, { 'closed>open': 4 }));
    assert.equal(history.recent().length, 3);
    assert.ok(history.recent().every(({ to }) => to === 'open'));
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readinessOf } from './service-readiness.js';

const orders = { name: 'orders', url: 'http://127.0.0.1:3101' };

describe('readinessOf', () => {
  it('draws a 200 as ready', () => {
    assert.deepEqual(readinessOf(orders, 200, { status: 'ok' }), { ...orders, state: 'ready', failing: [], detail: 'ready' });
  });

  it("names the failing checks of a service's 503 problem, with its detail", () => {
    const body = {
      type: 'https://faultline.dev/problems/not-ready',
      title: 'Service Unavailable',
      status: 503,
      detail: 'Not ready: database (connect ECONNREFUSED 127.0.0.1:25432).',
      checks: { database: { status: 'down', message: 'connect ECONNREFUSED 127.0.0.1:25432' }, kafka: { status: 'up' }, clockSkew: { status: 'down' } },
    };
    assert.deepEqual(readinessOf(orders, 503, body), {
      ...orders,
      state: 'not-ready',
      failing: ['clockSkew', 'database'],
      detail: 'Not ready: database (connect ECONNREFUSED 127.0.0.1:25432).',
    });
  });

  it('names the failing checks of a bare Terminus 503, with their messages', () => {
    const body = { status: 'error', error: { database: { status: 'down', message: 'connect ECONNREFUSED 127.0.0.1:25432' }, temporal: { status: 'down' } } };
    assert.deepEqual(readinessOf(orders, 503, body), {
      ...orders,
      state: 'not-ready',
      failing: ['database', 'temporal'],
      detail: 'database: connect ECONNREFUSED 127.0.0.1:25432; temporal',
    });
  });

  it('keeps a process that answers in another shape as not ready, with the status as the reason', () => {
    assert.deepEqual(readinessOf(orders, 502, 'Bad Gateway'), { ...orders, state: 'not-ready', failing: [], detail: 'HTTP 502' });
  });
});

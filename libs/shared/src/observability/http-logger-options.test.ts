import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { httpLoggerOptions } from './http-logger-options.js';

describe('httpLoggerOptions', () => {
  const serialize = httpLoggerOptions(pino({ enabled: false })).serializers?.req as (request: object) => Record<string, unknown>;

  it("logs a request's correlation id: the caller's x-correlation-id, so one business flow can be followed across services", () => {
    const line = serialize({ id: 'r-1', method: 'POST', url: '/payments/authorizations', headers: { 'x-correlation-id': 'order-flow-7', authorization: 'Bearer secret' } });
    assert.deepEqual(line, { id: 'r-1', method: 'POST', url: '/payments/authorizations', correlationId: 'order-flow-7' });
  });

  it("falls back to the request's own id, as the events it writes do, when the caller sent none or a malformed one", () => {
    assert.equal(serialize({ id: 'r-2', method: 'GET', url: '/orders', headers: {} }).correlationId, 'r-2');
    assert.equal(serialize({ id: 'r-3', method: 'GET', url: '/orders', headers: { 'x-correlation-id': 'has spaces\nand a newline' } }).correlationId, 'r-3');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { breakOneField, fuzzedRequest } from './fuzzed-request.js';
import { HTTP_APIS, apiName } from './http-apis.js';

describe('fuzzed requests', () => {
  it('breaks exactly one field of a valid body, nested ones included, or removes it', () => {
    const body = { currency: 'EUR', items: [{ sku: 'a', quantity: 1 }] };
    assert.deepEqual(breakOneField(body, 0, 42, false), { currency: 42, items: [{ sku: 'a', quantity: 1 }] });
    assert.deepEqual(breakOneField(body, 3, null, false), { currency: 'EUR', items: [{ sku: null, quantity: 1 }] });
    assert.deepEqual(breakOneField(body, 1, null, true), { currency: 'EUR' });
    assert.deepEqual(body, { currency: 'EUR', items: [{ sku: 'a', quantity: 1 }] }, 'the valid body itself is left alone');
  });

  it('fills in every path parameter of every API, whatever the sample', () => {
    for (const api of HTTP_APIS) {
      for (const request of fc.sample(fuzzedRequest(api), { numRuns: 30, seed: 7 })) {
        assert.ok(!/[{}]/.test(request.path.split('?')[0] ?? ''), `${apiName(api)}: ${request.path}`);
      }
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideOnRecordedRequest, type RecordedRequest } from './recorded-request.js';

describe('decideOnRecordedRequest', () => {
  const inFlight: RecordedRequest = { requestHash: 'h1', outcome: 'in-flight', responseStatus: null, responseBody: null };

  it('refuses a key recorded for another request, whatever its outcome', () => {
    assert.deepEqual(decideOnRecordedRequest(inFlight, 'h2'), { kind: 'key-reused' });
    const done: RecordedRequest = { requestHash: 'h1', outcome: 'succeeded', responseStatus: 201, responseBody: {} };
    assert.deepEqual(decideOnRecordedRequest(done, 'h2'), { kind: 'key-reused' });
  });

  it('replays a finished request, a declined one included, with its status and body', () => {
    const declined = { type: 'urn:faultline:problem:payment-declined', status: 402 };
    const record: RecordedRequest = { requestHash: 'h1', outcome: 'failed', responseStatus: 402, responseBody: declined };
    assert.deepEqual(decideOnRecordedRequest(record, 'h1'), { kind: 'replay', outcome: 'failed', status: 402, body: declined });
  });

  it('calls the provider again (with the same provider key) for a request still in flight', () => {
    assert.deepEqual(decideOnRecordedRequest(inFlight, 'h1'), { kind: 'call-provider' });
  });

  it('refuses to guess when a finished request has lost its response', () => {
    const broken: RecordedRequest = { requestHash: 'h1', outcome: 'succeeded', responseStatus: null, responseBody: null };
    assert.throws(() => decideOnRecordedRequest(broken, 'h1'), /without its response/);
  });
});

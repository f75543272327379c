import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeEvent } from '@faultline/shared/contracts';
import { badEvents, validPlaced } from './bad-events.js';

describe('bad events', () => {
  it('makes only events the consumers must dead-letter: undecodable ones, or sequence gaps on a new aggregate', () => {
    const events = badEvents(500, 42);
    assert.equal(events.length, 500);
    for (const event of events) {
      let decoded: ReturnType<typeof decodeEvent> | undefined;
      try {
        decoded = decodeEvent(JSON.parse(event.value));
      } catch {
        assert.equal(event.expectedReason, 'invalid-event', event.kind);
        continue;
      }
      assert.equal(event.expectedReason, 'ordering-gap-expired', event.kind);
      assert.ok(decoded.sequence >= 2, `${event.kind} would be applied: ${event.value.slice(0, 200)}`);
    }
  });

  it('covers every kind of bad event in a run of a hundred', () => {
    const kinds = new Set(badEvents(100, 20_261_128).map((event) => event.kind));
    for (const kind of ['not-json', 'json-without-envelope', 'envelope-missing-fields', 'unknown-type', 'future-schema-version', 'wrong-payload', 'sequence-garbage', 'sequence-gap', 'oversized-aggregate-id', 'huge-payload']) {
      assert.ok(kinds.has(kind), `no ${kind} in ${[...kinds].join(', ')}`);
    }
  });

  it('starts from an event the consumers accept, so each kind is one change away from valid', () => {
    assert.doesNotThrow(() => decodeEvent(validPlaced()));
  });
});

import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { MAX_STORED_INTEGER, decodeEvent, eventContracts, orderPlaced, type EventEnvelope } from '@faultline/shared/contracts';
import { buildEnvelope } from '@faultline/shared/testing';
import { garbageValue, jsonText, parsesAsJson } from './garbage.js';
import { FUZZ_CUSTOMER_ID } from './http-apis.js';

/** The header every bad event carries, kept by the dead-letter publisher: how a dead letter is matched to what was sent. */
export const MARKER_HEADER = 'x-bad-input-marker';

/** Why the consumers must dead-letter the event (DeadLetterReason of @faultline/shared/dead-letter). */
export type ExpectedReason = 'invalid-event' | 'ordering-gap-expired';

/** One malformed or out-of-place record for the order events topic. */
export interface BadEvent {
  /** Which kind of bad it is, for the counts. */
  kind: string;
  key: string;
  value: string;
  expectedReason: ExpectedReason;
  /** The envelope's eventId when the record has one, for matching the dead letter's context. */
  eventId?: string;
}

/**
 * Published above a valid `orders.order.placed`: the 300 kB payload stays under Kafka's 1 MB
 * message limit also when the dead letter adds its headers, and far over anything an order needs.
 */
const HUGE_PAYLOAD_CHARS = 300_000;

/** A valid `orders.order.placed` v2 for a new order: what a bad event is one change away from. */
export function validPlaced(orderId: string = randomUUID(), sequence = 1): EventEnvelope {
  const now = new Date().toISOString();
  return buildEnvelope(
    orderPlaced,
    {
      orderId,
      customerId: FUZZ_CUSTOMER_ID,
      lines: [{ sku: 'fuzz', quantity: 1, unitPriceMinor: 100 }],
      total: { amountMinor: 100, currency: 'EUR' },
      placedAt: now,
    },
    {
      aggregateId: orderId,
      sequence,
      occurredAt: now,
      correlationId: `bad-input-${orderId}`,
      causationId: `bad-input-${orderId}`,
      producer: { name: 'bad-input', version: '0.1.0' },
    },
  );
}

const REQUIRED_ENVELOPE_FIELDS = [
  'eventId',
  'type',
  'schemaVersion',
  'aggregateType',
  'aggregateId',
  'sequence',
  'occurredAt',
  'correlationId',
  'causationId',
  'producer',
] as const;

type Envelope = ReturnType<typeof validPlaced>;
const envelope = fc.constant(null).map(() => validPlaced());
const withEnvelope = (kind: string, change: (valid: Envelope) => unknown) =>
  envelope.map((valid) => ({ kind, key: valid.aggregateId, value: jsonText(change(valid)) }));

/**
 * The kinds of bad event: not JSON at all, JSON without the envelope, an envelope missing fields or
 * with broken ones, an unknown type, a future schemaVersion, a payload of the wrong shape, garbage
 * sequences, an aggregate type that does not own the event type, huge payloads, and sequence gaps
 * that never fill (held by the ordering guard, dead-lettered once the hold bound passes).
 */
const badRecord: fc.Arbitrary<{ kind: string; key: string; value: string }> = fc.oneof(
  fc
    .oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('', '{', '{"eventId": "truncated', '\u0000\u0001\u0002', 'null null'))
    .filter((value) => !parsesAsJson(value))
    .map((value) => ({ kind: 'not-json', key: randomUUID(), value })),
  garbageValue.map((value) => ({ kind: 'json-without-envelope', key: randomUUID(), value: jsonText(value) })),
  fc
    .subarray([...REQUIRED_ENVELOPE_FIELDS], { minLength: 1 })
    .chain((missing) =>
      withEnvelope('envelope-missing-fields', (valid) =>
        Object.fromEntries(Object.entries(valid).filter(([field]) => !missing.includes(field as (typeof missing)[number]))),
      ),
    ),
  fc
    .tuple(fc.constantFrom(...REQUIRED_ENVELOPE_FIELDS), garbageValue)
    .chain(([field, garbage]) => withEnvelope('envelope-field-broken', (valid) => ({ ...valid, [field]: garbage }))),
  fc
    .oneof(fc.constantFrom('orders.order.teleported', 'billing.invoice.sent', 'ORDERS.ORDER.PLACED', 'orders.order', ''), fc.string({ maxLength: 40 }))
    .filter((type) => !eventContracts.has(type))
    .chain((type) => withEnvelope('unknown-type', (valid) => ({ ...valid, type }))),
  fc
    .integer({ min: orderPlaced.newestVersion + 1, max: 1_000_000 })
    .chain((schemaVersion) => withEnvelope('future-schema-version', (valid) => ({ ...valid, schemaVersion }))),
  fc
    .tuple(fc.constantFrom(...eventContracts.values()), garbageValue)
    .chain(([contract, payload]) =>
      withEnvelope('wrong-payload', (valid) => ({ ...valid, type: contract.type, schemaVersion: contract.newestVersion, payload })),
    ),
  fc
    .constantFrom(0, -1, 1.5, '1', null, true, [1], { n: 1 }, MAX_STORED_INTEGER + 1, Number.MAX_SAFE_INTEGER, 2 ** 53, 1e308)
    .chain((sequence) => withEnvelope('sequence-garbage', (valid) => ({ ...valid, sequence }))),
  fc.constantFrom('payment', 'invoice', 'ORDER').chain((aggregateType) => withEnvelope('wrong-aggregate-type', (valid) => ({ ...valid, aggregateType }))),
  // Random hex, so PostgreSQL's compression cannot shrink it under the ~2.7 kB an index entry may hold.
  fc
    .constant(null)
    .chain(() => withEnvelope('oversized-aggregate-id', (valid) => ({ ...valid, aggregateId: randomBytes(1_500).toString('hex') }))),
  fc.constant(null).chain(() =>
    withEnvelope('huge-payload', (valid) => ({
      ...valid,
      payload: { ...(valid.payload as object), total: { amountMinor: 'x'.repeat(HUGE_PAYLOAD_CHARS), currency: 'EUR' } },
    })),
  ),
  // Text PostgreSQL cannot store, in a field the handler writes: refused as invalid, never retried.
  fc
    .constantFrom('tea\ud800', '\udfff', 'tea\u0000')
    .chain((sku) =>
      withEnvelope('unstorable-text', (valid) => ({
        ...valid,
        payload: { ...(valid.payload as { lines: object[] }), lines: [{ sku, quantity: 1, unitPriceMinor: 500 }] },
      })),
    ),
  fc.integer({ min: 2, max: 1_000 }).map((sequence) => {
    const valid = validPlaced(randomUUID(), sequence);
    return { kind: 'sequence-gap', key: valid.aggregateId, value: JSON.stringify(valid) };
  }),
);

/**
 * `count` bad events for the seed, each classified the way the consumers must treat it: what
 * decodeEvent refuses is dead-lettered at once as invalid; what it accepts must be a sequence gap
 * (a new aggregate starting past 1), dead-lettered once the ordering guard's hold bound passes.
 * A broken field that happens to be valid (a correlationId of "a") makes a valid event: skipped.
 */
export function badEvents(count: number, seed: number): BadEvent[] {
  const classified = badRecord.map(classify).filter((event): event is BadEvent => event !== undefined);
  return fc.sample(classified, { numRuns: count, seed });
}

function classify(record: { kind: string; key: string; value: string }): BadEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(record.value);
  } catch {
    return { ...record, expectedReason: 'invalid-event' };
  }
  let decoded: ReturnType<typeof decodeEvent>;
  try {
    decoded = decodeEvent(parsed);
  } catch {
    const eventId = eventIdOf(parsed);
    return { ...record, expectedReason: 'invalid-event', ...(eventId !== undefined && { eventId }) };
  }
  return decoded.sequence >= 2 ? { ...record, expectedReason: 'ordering-gap-expired', eventId: decoded.eventId } : undefined;
}

function eventIdOf(parsed: unknown): string | undefined {
  if (typeof parsed !== 'object' || parsed === null || !('eventId' in parsed)) return undefined;
  return typeof parsed.eventId === 'string' ? parsed.eventId : undefined;
}

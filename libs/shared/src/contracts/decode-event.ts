import { z } from 'zod';
import { eventEnvelopeSchema, type EventEnvelope } from './event-envelope.js';
import { eventContracts } from './event-registry.js';
import { InvalidEventError } from './invalid-event-error.js';
import { describePath, findUnstorableText } from './storable-text.js';
import { upcastPayload } from './upcast-payload.js';

/** An event whose envelope is valid and whose payload is upcast to, and valid at, the newest schemaVersion. */
export type DecodedEvent = EventEnvelope<unknown>;

/**
 * Validates the envelope, upcasts the payload to the newest schemaVersion this code knows, and
 * validates the payload. Anything that can never be processed throws `InvalidEventError`
 * (non-retryable: dead-letter it, article 5), text PostgreSQL cannot store included: a handler would
 * fail on it at every attempt, or store a changed value.
 */
export function decodeEvent(raw: unknown): DecodedEvent {
  const unstorable = findUnstorableText(raw);
  if (unstorable.length > 0) {
    throw new InvalidEventError(`text PostgreSQL cannot store: ${unstorable.map(({ path, message }) => `${describePath(path)} ${message}`).join('; ')}`);
  }
  const envelope = eventEnvelopeSchema.safeParse(raw);
  if (!envelope.success) throw new InvalidEventError(`the envelope fails its schema: ${z.prettifyError(envelope.error)}`);
  const { type, schemaVersion, aggregateType, payload } = envelope.data;

  const owner = eventContracts.get(type)?.aggregateType;
  if (owner !== undefined && owner !== aggregateType) {
    throw new InvalidEventError(`${type} belongs to aggregate type "${owner}", not "${aggregateType}"`);
  }
  return { ...envelope.data, ...upcastPayload(type, schemaVersion, payload) };
}

import { randomUUID } from 'node:crypto';
import { eventEnvelopeSchema, type EventContract, type EventEnvelope } from '../contracts/index.js';

/** The envelope's fields a test, a scenario or a chaos run decides; the contract supplies the rest. */
export interface EnvelopeFields {
  aggregateId: string;
  /** Given by the caller, so a test can send a stream's events out of order or with a gap. */
  sequence: number;
  /** Given by the caller (never read from the wall clock here), so what a consumer stores is known exactly. */
  occurredAt: string;
  correlationId: string;
  causationId: string;
  producer: { name: string; version: string };
  /** A fresh UUID unless the caller needs a known one. */
  eventId?: string;
}

/**
 * One event as a producer would publish it, built from its contract: the type and aggregate type
 * are the contract's, and the payload is validated against the contract's schema at the envelope's
 * schemaVersion, so a test can only send what the contract allows — a malformed event is made by
 * changing a valid one. The payload is sent as given (validation does not strip or reorder it).
 * Without `schemaVersion` the event is at the contract's newest version; with it, at that older
 * version, as an old producer still publishes it.
 */
export function buildEnvelope<Payload>(contract: EventContract<Payload>, payload: Payload, fields: EnvelopeFields): EventEnvelope<Payload>;
export function buildEnvelope(
  contract: EventContract<unknown>,
  payload: unknown,
  fields: EnvelopeFields & { schemaVersion: number },
): EventEnvelope;
export function buildEnvelope(
  contract: EventContract<unknown>,
  payload: unknown,
  { schemaVersion = contract.newestVersion, eventId = randomUUID(), ...fields }: EnvelopeFields & { schemaVersion?: number },
): EventEnvelope {
  const version = contract.versions.find((candidate) => candidate.schemaVersion === schemaVersion);
  if (version === undefined) throw new Error(`${contract.type} has no schemaVersion ${schemaVersion}`);
  version.schema.parse(payload);
  const envelope: EventEnvelope = {
    eventId,
    type: contract.type,
    schemaVersion,
    aggregateType: contract.aggregateType,
    aggregateId: fields.aggregateId,
    sequence: fields.sequence,
    occurredAt: fields.occurredAt,
    correlationId: fields.correlationId,
    causationId: fields.causationId,
    producer: fields.producer,
    payload,
  };
  eventEnvelopeSchema.parse(envelope);
  return envelope;
}

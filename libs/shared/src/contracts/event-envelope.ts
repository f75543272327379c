import { z } from 'zod';

/**
 * The largest sequence (and schemaVersion) an event may carry: every store of them (outbox, event
 * store, inbox, ordering checkpoints, held events) is a PostgreSQL `int` column. A larger number
 * passes as a JSON integer but fails the insert with 22003, so an event carrying one is invalid
 * here, dead-lettered at once with its reason, instead of failing in a handler's transaction.
 */
export const MAX_STORED_INTEGER = 2_147_483_647;

/**
 * The envelope every event crosses a service boundary in (DESIGN §2). Producers build it through
 * the outbox, consumers parse it with this same schema: one definition, both ends.
 */
export const eventEnvelopeSchema = z.object({
  /**
   * The event's own idempotency key. Faultline's producers mint UUIDv7 (time-ordered); any RFC 9562
   * UUID is accepted, so events from other producers are not refused for their id's version.
   */
  eventId: z.uuid(),
  /** `<context>.<aggregate>.<past-tense-verb>`, e.g. `orders.order.placed`. */
  type: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/),
  schemaVersion: z.int().min(1).max(MAX_STORED_INTEGER),
  aggregateType: z.string().min(1),
  /**
   * The stream the event belongs to, and the Kafka key. Bounded because every consumer keys its
   * ordering checkpoint and held events on it: PostgreSQL cannot index a value over ~2.7 kB, and the
   * insert's error (54000) reads as transient, so an event with a huge id would cycle through the
   * retry topics and the automatic redrive for good instead of being dead-lettered once.
   * Faultline's ids are UUIDs (36 characters); 200 leaves room for other producers' schemes.
   */
  aggregateId: z.string().min(1).max(200),
  /** The aggregate's version after this event: 1, 2, 3… with no gaps. */
  sequence: z.int().min(1).max(MAX_STORED_INTEGER),
  /** ISO-8601 UTC instant with `Z`, from the producer's injected clock. */
  occurredAt: z.iso.datetime(),
  correlationId: z.string().min(1),
  causationId: z.string().min(1),
  /**
   * The W3C trace context of the work that wrote the event (Outbox.append stores the active one),
   * so the relay's publish, and through it every consumer, joins that trace. Absent when the
   * producer does not trace.
   */
  traceparent: z.string().optional(),
  /** The W3C `tracestate` that goes with `traceparent`, when the trace has one. */
  tracestate: z.string().optional(),
  producer: z.object({ name: z.string().min(1), version: z.string().min(1) }),
  payload: z.unknown(),
});

export type EventEnvelope<Payload = unknown> = Omit<z.infer<typeof eventEnvelopeSchema>, 'payload'> & {
  payload: Payload;
};

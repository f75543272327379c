import { z } from 'zod';

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
  schemaVersion: z.int().min(1),
  aggregateType: z.string().min(1),
  /** The stream the event belongs to, and the Kafka key. */
  aggregateId: z.string().min(1),
  /** The aggregate's version after this event: 1, 2, 3… with no gaps. */
  sequence: z.int().min(1),
  /** ISO-8601 UTC instant with `Z`, from the producer's injected clock. */
  occurredAt: z.iso.datetime(),
  correlationId: z.string().min(1),
  causationId: z.string().min(1),
  traceparent: z.string().optional(),
  producer: z.object({ name: z.string().min(1), version: z.string().min(1) }),
  payload: z.unknown(),
});

export type EventEnvelope<Payload = unknown> = Omit<z.infer<typeof eventEnvelopeSchema>, 'payload'> & {
  payload: Payload;
};

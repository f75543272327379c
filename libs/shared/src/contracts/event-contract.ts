import type { z } from 'zod';

/** One `schemaVersion` of an event type: its payload schema and an example that must satisfy it. */
export interface EventSchemaVersion {
  readonly schemaVersion: number;
  readonly schema: z.ZodType;
  readonly example: unknown;
  /** Turns a payload of this version into one of the next; absent on the newest version. */
  readonly upcastToNext?: (payload: unknown) => unknown;
}

/**
 * Every version of one event type, oldest first, with the upcasters between them (DESIGN §2). A
 * breaking change is a new version plus an upcaster — never an edit of a published schema, which
 * would make events already in Kafka or in an event store unreadable.
 */
export class EventContract<Newest, Type extends string = string> {
  private constructor(
    readonly type: Type,
    readonly aggregateType: string,
    readonly versions: readonly EventSchemaVersion[],
    /** The newest payload schema: what producers emit and what consumers receive after upcasting. */
    readonly schema: z.ZodType<Newest>,
  ) {}

  /** Starts a contract at schemaVersion 1. */
  static define<Payload, Type extends string>(
    type: Type,
    aggregateType: string,
    first: { schema: z.ZodType<Payload>; example: Payload },
  ): EventContract<Payload, Type> {
    return new EventContract(type, aggregateType, [{ schemaVersion: 1, ...first }], first.schema);
  }

  /**
   * Adds the next schemaVersion and the pure function that upcasts the current newest to it. The
   * older payload is parsed before it is upcast, so an upcaster only ever sees a valid input.
   */
  nextVersion<Next>(next: {
    schema: z.ZodType<Next>;
    example: Next;
    upcast: (previous: Newest) => Next;
  }): EventContract<Next, Type> {
    const previous = this.schema;
    const upcastToNext = (payload: unknown): Next => next.upcast(previous.parse(payload));
    const older = this.versions.map((version, index) =>
      index === this.versions.length - 1 ? { ...version, upcastToNext } : version,
    );
    return new EventContract(
      this.type,
      this.aggregateType,
      [...older, { schemaVersion: this.newestVersion + 1, schema: next.schema, example: next.example }],
      next.schema,
    );
  }

  get newestVersion(): number {
    return this.versions.length;
  }

  /** What a producer states for this event: always the newest version, validated before it is stored. */
  encode(payload: Newest): { type: Type; schemaVersion: number; payload: Newest } {
    return { type: this.type, schemaVersion: this.newestVersion, payload: this.schema.parse(payload) };
  }

  /**
   * Narrows an event to this type. Its payload is then typed as the newest version, which holds for
   * what `decodeEvent` and `upcastPayload` return and for what a producer built with `encode`.
   */
  matches<Event extends { type: string; payload: unknown }>(event: Event): event is Event & { payload: Newest } {
    return event.type === this.type;
  }
}

/** The newest payload of a contract's event: what producers emit and handlers receive. */
export type EventPayload<Contract> = Contract extends EventContract<infer Payload, string> ? Payload : never;

/** A contract's event as an aggregate records it: its type, as a literal, and its newest payload. */
export type RecordedEvent<Contract> =
  Contract extends EventContract<infer Payload, infer Type> ? { readonly type: Type; readonly payload: Payload } : never;

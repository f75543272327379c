import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { EventEnvelope } from '../contracts/index.js';

/**
 * One row of a service's `outbox` table: an event written in the same transaction as the state
 * change it describes, waiting for the relay to publish it. Each service creates the table in its
 * own migration (the columns below are the contract the relay relies on). `Outbox` and
 * `OutboxRelay` use SQL on the table named in OutboxOptions (`outbox` by default); this entity maps
 * the default table for reading rows (tests, admin views).
 */
@Entity({ name: 'outbox' })
export class OutboxMessage {
  /** bigserial: the publishing order. pg returns bigint as a string, which is fine for an id. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'event_id', type: 'uuid', unique: true })
  eventId!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ name: 'aggregate_type', type: 'text' })
  aggregateType!: string;

  @Column({ name: 'aggregate_id', type: 'text' })
  aggregateId!: string;

  @Column({ type: 'int' })
  sequence!: number;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ type: 'jsonb' })
  envelope!: EventEnvelope<object>;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;
}

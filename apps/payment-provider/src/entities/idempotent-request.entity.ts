import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ProviderCommand } from '../authorizations/authorization.js';

export type RequestStatus = 'succeeded' | 'failed';

/**
 * A request the provider received with an `Idempotency-Key`, and the answer it gave: a retry with
 * the key gets that answer again, and a client that lost the answer asks for it by key (article 6).
 */
@Entity({ name: 'idempotent_requests' })
export class IdempotentRequest {
  @PrimaryColumn({ name: 'idempotency_key', type: 'text' })
  idempotencyKey!: string;

  @Column({ type: 'text' })
  operation!: ProviderCommand;

  /** The fingerprint of operation, target and body: the same key with another request is refused. */
  @Column({ name: 'request_hash', type: 'text' })
  requestHash!: string;

  /** Null only inside the transaction that claimed the key; committed rows always have an answer. */
  @Column({ type: 'text', nullable: true })
  status!: RequestStatus | null;

  @Column({ name: 'response_status', type: 'int', nullable: true })
  responseStatus!: number | null;

  @Column({ name: 'response_body', type: 'jsonb', nullable: true })
  responseBody!: Record<string, unknown> | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

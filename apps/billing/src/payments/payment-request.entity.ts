import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PaymentOperation } from './payment-lifecycle.js';

export type PaymentRequestOutcome = 'in-flight' | 'succeeded' | 'failed';

/**
 * One idempotent payment request (article 6): claimed `in-flight` before the provider is called,
 * completed with the response a retry with the same key gets back.
 */
@Entity({ name: 'payment_requests' })
export class PaymentRequest {
  @PrimaryColumn({ name: 'idempotency_key', type: 'text' })
  idempotencyKey!: string;

  @Column({ type: 'text' })
  operation!: PaymentOperation;

  /** SHA-256 of the canonical request: the same key with another request is refused (422). */
  @Column({ name: 'request_hash', type: 'text' })
  requestHash!: string;

  /** The key billing sends to the provider, derived from `idempotencyKey`. */
  @Column({ name: 'provider_idempotency_key', type: 'text' })
  providerIdempotencyKey!: string;

  /** The payment changed (capture, void, refund) or created (authorize, once it succeeded). */
  @Column({ name: 'payment_id', type: 'uuid', nullable: true })
  paymentId!: string | null;

  @Column({ type: 'text' })
  outcome!: PaymentRequestOutcome;

  @Column({ name: 'response_status', type: 'int', nullable: true })
  responseStatus!: number | null;

  /** The Payment (success) or the problem document (failure) the client got. */
  @Column({ name: 'response_body', type: 'jsonb', nullable: true })
  responseBody!: object | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '@faultline/shared/database';
import type { AuthorizationStatus } from '../authorizations/authorization.js';

/** A charge on a card as the provider keeps it: authorized, then captured (and maybe refunded) or voided. */
@Entity({ name: 'authorizations' })
export class Authorization {
  /** `auth_…`, chosen by the provider: the client learns it only from the answer. */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  status!: AuthorizationStatus;

  @Column({ name: 'amount_minor', type: 'bigint', transformer: bigintAsNumber })
  amountMinor!: number;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'customer_reference', type: 'text' })
  customerReference!: string;

  @Column({ name: 'order_reference', type: 'text' })
  orderReference!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

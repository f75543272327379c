import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A customer's billing profile. The time zone decides when "09:00 local" is for them (article 9). */
@Entity({ name: 'billing_customers' })
export class BillingCustomer {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName!: string;

  /** An IANA zone name (`Europe/Paris`), never an offset: offsets do not follow daylight saving. */
  @Column({ name: 'time_zone', type: 'text' })
  timeZone!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

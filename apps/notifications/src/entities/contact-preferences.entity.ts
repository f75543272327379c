import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How a customer wants to be reached: owned by notifications and set by the customer through its API. */
@Entity({ name: 'contact_preferences' })
export class ContactPreferences {
  @PrimaryColumn({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @Column({ type: 'text' })
  email!: string;

  /** An IANA zone (article 9): the quiet hours are wall-clock times in it. */
  @Column({ name: 'time_zone', type: 'text' })
  timeZone!: string;

  /** `HH:MM` local, both or neither (a CHECK says so); the window may cross midnight (22:00–07:00). */
  @Column({ name: 'quiet_hours_start', type: 'text', nullable: true })
  quietHoursStart!: string | null;

  @Column({ name: 'quiet_hours_end', type: 'text', nullable: true })
  quietHoursEnd!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

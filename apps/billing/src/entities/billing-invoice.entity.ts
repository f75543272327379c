import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '@faultline/shared/database';

/**
 * The record of one daily billing run: a customer's orders placed in one local business day
 * `[periodStart, periodEnd)` of `timeZone`. Its key (customer, business date) is what makes a run
 * that happens twice — the repeated hour of a DST change, a retried activity — bill once (article 9).
 */
@Entity({ name: 'billing_invoices' })
export class BillingInvoice {
  @PrimaryColumn({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  /** The billed local calendar date, `YYYY-MM-DD` (a `date`: no zone, `timeZone` says whose). */
  @PrimaryColumn({ name: 'business_date', type: 'date' })
  businessDate!: string;

  @Column({ name: 'time_zone', type: 'text' })
  timeZone!: string;

  @Column({ name: 'period_start', type: 'timestamptz' })
  periodStart!: Date;

  @Column({ name: 'period_end', type: 'timestamptz' })
  periodEnd!: Date;

  @Column({ name: 'billed_at', type: 'timestamptz' })
  billedAt!: Date;
}

/** An invoice's total for one currency. */
@Entity({ name: 'billing_invoice_lines' })
export class BillingInvoiceLine {
  @PrimaryColumn({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @PrimaryColumn({ name: 'business_date', type: 'date' })
  businessDate!: string;

  @PrimaryColumn({ type: 'text' })
  currency!: string;

  @Column({ name: 'order_count', type: 'int' })
  orderCount!: number;

  @Column({ name: 'amount_minor', type: 'bigint', transformer: bigintAsNumber })
  amountMinor!: number;
}

import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '@faultline/shared/clock';
import { businessDayWindow } from '@faultline/shared/time';
import { LIVE_ORDER_STATUSES } from '../entities/billing-order.entity.js';
import type { InvoiceOutcome } from './billing-schedule-input.js';

interface LineRow {
  currency: string;
  order_count: number;
  amount_minor: string;
}

/**
 * The billing run's effect (a Temporal activity): one invoice for a customer's live orders
 * (`LIVE_ORDER_STATUSES`) placed in one local business day, the half-open window `[start, end)` of
 * that date in the given zone. The invoice's key (customer, business date) turns a second run of the
 * same date into a no-op.
 */
@Injectable()
export class InvoiceBusinessDay {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ customerId, businessDate, timeZone }: { customerId: string; businessDate: string; timeZone: string }): Promise<InvoiceOutcome> {
    const window = businessDayWindow(businessDate, timeZone);
    // Instants go to PostgreSQL as ISO strings with `Z` and are compared as timestamptz: nothing in
    // this path depends on the session's or the machine's zone.
    const [periodStart, periodEnd] = [window.start.toISOString(), window.end.toISOString()];
    return await this.dataSource.transaction(async (manager) => {
      const inserted = (await manager.query(
        `INSERT INTO billing_invoices (customer_id, business_date, time_zone, period_start, period_end, billed_at)
         VALUES ($1, $2::date, $3, $4::timestamptz, $5::timestamptz, $6)
         ON CONFLICT (customer_id, business_date) DO NOTHING
         RETURNING customer_id`,
        [customerId, businessDate, timeZone, periodStart, periodEnd, this.clock.now()],
      )) as unknown[];
      const created = inserted.length === 1;
      if (created) {
        await manager.query(
          `INSERT INTO billing_invoice_lines (customer_id, business_date, currency, order_count, amount_minor)
           SELECT customer_id, $2::date, currency, count(*), sum(total_minor)
             FROM billing_orders
            WHERE customer_id = $1 AND status = ANY($5::text[]) AND placed_at >= $3::timestamptz AND placed_at < $4::timestamptz
            GROUP BY customer_id, currency`,
          [customerId, businessDate, periodStart, periodEnd, LIVE_ORDER_STATUSES],
        );
      }
      // A repeat reports what the first run invoiced, read back in the same transaction.
      const invoice = (await manager.query(
        `SELECT time_zone, period_start, period_end FROM billing_invoices WHERE customer_id = $1 AND business_date = $2::date`,
        [customerId, businessDate],
      )) as { time_zone: string; period_start: Date; period_end: Date }[];
      const lines = (await manager.query(
        `SELECT currency, order_count, amount_minor FROM billing_invoice_lines
          WHERE customer_id = $1 AND business_date = $2::date ORDER BY currency`,
        [customerId, businessDate],
      )) as LineRow[];
      const [stored] = invoice;
      if (!stored) throw new Error(`invoice ${customerId} ${businessDate} vanished inside its own transaction`);
      return {
        customerId,
        businessDate,
        timeZone: stored.time_zone,
        periodStart: stored.period_start.toISOString(),
        periodEnd: stored.period_end.toISOString(),
        created,
        lines: lines.map((line) => ({ currency: line.currency, orderCount: line.order_count, amountMinor: Number(line.amount_minor) })),
      };
    });
  }
}

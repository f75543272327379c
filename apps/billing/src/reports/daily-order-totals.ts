import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { businessDayWindows, windowHours, type BusinessDayWindow } from '@faultline/shared/time';
import { LIVE_ORDER_STATUSES } from '../entities/billing-order.entity.js';

export interface DailyTotal {
  date: string;
  start: string;
  end: string;
  /** 24, or 23/25 (23.5/24.5…) on the day the zone changes its clocks. */
  hours: number;
  orderCount: number;
  revenue: { currency: string; amountMinor: number }[];
}

interface TotalRow {
  day_index: number;
  currency: string;
  order_count: number;
  amount_minor: string;
}

/**
 * The live orders (`LIVE_ORDER_STATUSES`) placed per local business day of a zone, and their
 * revenue. The day windows are computed here with the zone's rules and sent to PostgreSQL as UTC
 * instants, so the database compares `timestamptz` with `timestamptz`: no `::date`, no session or
 * machine zone anywhere in the path, and a total is the same whatever `TZ` the service or the
 * database runs under (article 9).
 */
@Injectable()
export class DailyOrderTotals {
  constructor(private readonly dataSource: DataSource) {}

  async perDay(zone: string, from: string, to: string, customerId?: string): Promise<DailyTotal[]> {
    const windows = businessDayWindows(from, to, zone);
    const rows = (await this.dataSource.query(
      `SELECT w.day_index::int AS day_index, o.currency, count(*)::int AS order_count, sum(o.total_minor)::text AS amount_minor
         FROM unnest($1::timestamptz[], $2::timestamptz[]) WITH ORDINALITY AS w (start_at, end_at, day_index)
         JOIN billing_orders o ON o.placed_at >= w.start_at AND o.placed_at < w.end_at
        WHERE o.status = ANY($4::text[]) AND ($3::uuid IS NULL OR o.customer_id = $3::uuid)
        GROUP BY w.day_index, o.currency
        ORDER BY w.day_index, o.currency`,
      [windows.map((w) => w.start.toISOString()), windows.map((w) => w.end.toISOString()), customerId ?? null, LIVE_ORDER_STATUSES],
    )) as TotalRow[];
    return windows.map((window, index) => toDailyTotal(window, rows.filter((row) => row.day_index === index + 1)));
  }
}

function toDailyTotal(window: BusinessDayWindow, rows: TotalRow[]): DailyTotal {
  return {
    date: window.date,
    start: window.start.toISOString(),
    end: window.end.toISOString(),
    hours: windowHours(window),
    orderCount: rows.reduce((sum, row) => sum + row.order_count, 0),
    revenue: rows.map((row) => ({ currency: row.currency, amountMinor: Number(row.amount_minor) })),
  };
}

import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ApiProblemResponse, ProblemDetailsException } from '@faultline/shared/problem-details';
import { addDays, ianaTimeZone } from '@faultline/shared/time';
import { BILLING_RUN_SETTINGS } from '../billing-run/billing-schedules.js';
import type { BillingRunSettings } from '../billing-run/billing-run-settings.js';
import { billingZonesFor } from '../billing-run/billing-zones.js';
import { BillingCustomer } from '../entities/index.js';
import { DailyOrderTotals } from './daily-order-totals.js';
import { Access } from '@faultline/shared/access-control';

/** A report covers at most a year of days: one window (and one array element in SQL) per day. */
const MAX_REPORT_DAYS = 366;

const dateRange = {
  from: z.iso.date().describe('First local business day, YYYY-MM-DD'),
  to: z.iso.date().describe('Last local business day, included, YYYY-MM-DD'),
};
const withinLimit = (range: { from: string; to: string }) => range.from <= range.to && range.to < addDays(range.from, MAX_REPORT_DAYS);
const rangeMessage = {
  message: `from must not be after to, and the range must span at most ${MAX_REPORT_DAYS} days`,
  path: ['to'],
  // zod 4 runs an object's refinement even after one of its fields failed, and `addDays` throws on a
  // date that failed z.iso.date(), so `?from=&to=2020-01-01` would answer 500 instead of 400. The
  // range is checked only once both dates are valid.
  when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0,
};

export const customerReportQuery = z.object(dateRange).refine(withinLimit, rangeMessage);
export const revenueReportQuery = z.object({ zone: ianaTimeZone(), ...dateRange }).refine(withinLimit, rangeMessage);

const dailyTotal = z.object({
  date: z.iso.date(),
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  hours: z.number(),
  orderCount: z.int(),
  revenue: z.array(z.object({ currency: z.string(), amountMinor: z.int() })),
});
export const customerDailyOrders = z
  .object({ customerId: z.uuid(), timeZone: z.string(), days: z.array(dailyTotal) })
  .meta({ id: 'CustomerDailyOrders' });
export const dailyRevenue = z.object({ timeZone: z.string(), days: z.array(dailyTotal) }).meta({ id: 'DailyRevenue' });

/**
 * Daily reports over local business days `[start, end)` (article 9). A customer's report uses the
 * customer's zone, so a New York order at 23:30 local counts on that New York day; the schedule's
 * zones (billing-run/billing-zones.ts) decide, so the workshop's naive schedule counts UTC days.
 */
@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly totals: DailyOrderTotals,
    private readonly dataSource: DataSource,
    @Inject(BILLING_RUN_SETTINGS) private readonly settings: BillingRunSettings,
  ) {}

  @Get('customers/:customerId/daily-orders')
  @Access.customerIn('path', 'customerId')
  @ApiOkResponse({ description: "Orders and revenue per local business day in the customer's zone", standardSchema: customerDailyOrders })
  @ApiProblemResponse(400, 'A non-UUID id, a malformed date, or a range that is reversed or longer than a year')
  @ApiProblemResponse(404, 'No billing profile has this id')
  async customerDailyOrders(
    @Param('customerId', { schema: z.uuid() }) customerId: string,
    @Query({ schema: customerReportQuery }) query: z.infer<typeof customerReportQuery>,
  ): Promise<z.infer<typeof customerDailyOrders>> {
    const customer = await this.dataSource.manager.findOneBy(BillingCustomer, { id: customerId });
    if (!customer) throw ProblemDetailsException.notFound(`There is no billing customer with id ${customerId}.`);
    const timeZone = this.reportZone(customer.timeZone);
    return { customerId, timeZone, days: await this.totals.perDay(timeZone, query.from, query.to, customerId) };
  }

  @Get('daily-revenue')
  @Access.operator()
  @ApiOkResponse({ description: 'Orders and revenue of every customer per local business day of the given zone', standardSchema: dailyRevenue })
  @ApiProblemResponse(400, 'An unknown zone, a malformed date, or a range that is reversed or longer than a year')
  async dailyRevenue(@Query({ schema: revenueReportQuery }) query: z.infer<typeof revenueReportQuery>): Promise<z.infer<typeof dailyRevenue>> {
    const timeZone = this.reportZone(query.zone);
    return { timeZone, days: await this.totals.perDay(timeZone, query.from, query.to) };
  }

  private reportZone(zone: string): string {
    return billingZonesFor(this.settings.schedule).businessDayZone(zone);
  }
}

import { inZone } from '@faultline/shared/time';

/** An amount in minor units and its ISO 4217 currency, as the events carry it. */
export interface Money {
  amountMinor: number;
  currency: string;
}

/** `€24.50`, `¥1,500`, `BHD 1.250`: the currency's own number of minor digits, from ICU. */
export function formatMoney({ amountMinor, currency }: Money): string {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** digits);
}

/** An instant as the customer's wall clock shows it, with the zone named: `28 Nov 2026, 13:45 (America/New_York)`. */
export function formatLocalTime(instant: string, timeZone: string): string {
  return `${inZone(new Date(instant), timeZone).setLocale('en').toFormat('d LLL yyyy, HH:mm')} (${timeZone})`;
}

/** The first block of an order id: enough for a person to tell two orders apart in a subject line. */
export function shortOrderId(orderId: string): string {
  return orderId.slice(0, 8);
}

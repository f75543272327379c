import { addDays, businessDateOf, instantOfLocalTime, type BusinessDate } from './local-time.js';

/**
 * One local business day as a half-open window `[start, end)` of instants (DESIGN §4, article 9):
 * an instant belongs to exactly one day, and a day lasts 23, 24 or 25 hours (23.5/24.5 on Lord Howe)
 * when its zone changes clocks that day.
 */
export interface BusinessDayWindow {
  date: BusinessDate;
  zone: string;
  start: Date;
  end: Date;
}

const MIDNIGHT = { hour: 0, minute: 0 };

/** The window of `date` in `zone`: from its first instant to the next date's first instant. */
export function businessDayWindow(date: BusinessDate, zone: string): BusinessDayWindow {
  // Both ends come from the same function, so consecutive days tile with no gap or overlap, even in
  // zones whose midnight is skipped (the day then starts at the transition).
  return { date, zone, start: instantOfLocalTime(date, MIDNIGHT, zone), end: instantOfLocalTime(addDays(date, 1), MIDNIGHT, zone) };
}

/** The local business day `instant` falls in. */
export function businessDayContaining(instant: Date, zone: string): BusinessDayWindow {
  return businessDayWindow(businessDateOf(instant, zone), zone);
}

/** The windows of every date from `from` to `to`, both included (the shape of a daily report). */
export function businessDayWindows(from: BusinessDate, to: BusinessDate, zone: string): BusinessDayWindow[] {
  const windows: BusinessDayWindow[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) windows.push(businessDayWindow(date, zone));
  return windows;
}

/** A window's length in hours: 24 on most days, otherwise the day of a clock change. */
export function windowHours(window: BusinessDayWindow): number {
  return (window.end.getTime() - window.start.getTime()) / 3_600_000;
}

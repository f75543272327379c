import { z } from 'zod';
import { addDays, businessDateOf, instantOfLocalTime, type LocalTimeOfDay } from '@faultline/shared/time';

/** A customer's quiet hours: a daily window of wall-clock times in their zone, `[start, end)`. */
export interface QuietHours {
  start: LocalTimeOfDay;
  end: LocalTimeOfDay;
  timeZone: string;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** A wall-clock time of day as the API and the table write it: `HH:MM`, 24-hour. */
export const localTimeOfDay = () => z.string().regex(HH_MM, 'must be a time of day HH:MM, such as 22:00');

export function parseLocalTime(value: string): LocalTimeOfDay {
  const match = HH_MM.exec(value);
  if (!match) throw new RangeError(`${value} is not a time of day: expected HH:MM, such as 22:00`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

const minutes = (time: LocalTimeOfDay) => time.hour * 60 + time.minute;

/**
 * When the quiet hours that `instant` falls in end, or undefined when it falls outside them
 * (article 9). Each day's window is computed from its own date with the zone's rules, never as
 * "start + N hours": a window over a spring-forward change is an hour shorter, one over a fall-back
 * change an hour longer. A window whose end is not after its start (22:00–07:00) ends on the next
 * date. A skipped wall time begins or ends the window at the transition; a repeated one counts at
 * its first occurrence (the shared time library's rules).
 */
export function quietHoursEnd(instant: Date, quiet: QuietHours): Date | undefined {
  const crossesMidnight = minutes(quiet.end) <= minutes(quiet.start);
  const today = businessDateOf(instant, quiet.timeZone);
  // Only yesterday's window (when it crosses midnight) and today's can contain an instant of today.
  for (const date of [addDays(today, -1), today]) {
    const start = instantOfLocalTime(date, quiet.start, quiet.timeZone);
    const end = instantOfLocalTime(crossesMidnight ? addDays(date, 1) : date, quiet.end, quiet.timeZone);
    if (start.getTime() <= instant.getTime() && instant.getTime() < end.getTime()) return end;
  }
  return undefined;
}

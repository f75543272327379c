import { DateTime } from 'luxon';

/** A wall-clock time of day, such as the 09:00 of a daily billing run. */
export interface LocalTimeOfDay {
  hour: number;
  minute: number;
}

/** A calendar date as its owner writes it, `YYYY-MM-DD`, with no zone: it means nothing until a zone is given. */
export type BusinessDate = string;

const BUSINESS_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Every function here takes instants and a zone name and never reads the machine's zone (article 9):
 * a luxon DateTime built without `{ zone }` would silently use `TZ`, so all of them go through this.
 */
export function inZone(instant: Date, zone: string): DateTime {
  const local = DateTime.fromMillis(instant.getTime(), { zone });
  if (!local.isValid) throw new RangeError(`${zone} is not a time zone this runtime knows (${local.invalidExplanation ?? 'invalid'}): pass an IANA name such as America/New_York.`);
  return local;
}

/** The local calendar date of `instant` in `zone`. */
export function businessDateOf(instant: Date, zone: string): BusinessDate {
  return inZone(instant, zone).toISODate() ?? invalid(instant.toISOString());
}

/** The calendar date after `date` (or `days` after it): calendar arithmetic, independent of any zone. */
export function addDays(date: BusinessDate, days: number): BusinessDate {
  return parseDate(date, 'UTC').plus({ days }).toISODate() ?? invalid(date);
}

/**
 * The instant at which `date` reaches `time` in `zone`:
 * - a wall time that happens twice (the repeated hour when clocks go back) gives the FIRST instant,
 *   so a run keyed by that date happens once, at the earlier one;
 * - a wall time that never happens (skipped when clocks go forward) gives the first instant after
 *   it — the transition itself — so the run is late by the gap, never lost.
 * luxon alone gives the later of two repeated times and shifts a skipped one by the gap (02:30 → 03:30).
 */
export function instantOfLocalTime(date: BusinessDate, time: LocalTimeOfDay, zone: string): Date {
  const day = parseDate(date, zone);
  const wall = { year: day.year, month: day.month, day: day.day, hour: time.hour, minute: time.minute, second: 0, millisecond: 0 };
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const guess = DateTime.fromObject(wall, { zone });
  // The offsets that can apply to this wall time: the one luxon picked and the ones a few hours on
  // either side (every DST transition in tzdata moves the clock by at most 2 hours).
  const offsets = new Set(
    [-3, 0, 3].map((hours) => inZone(new Date(guess.toMillis() + hours * 3_600_000), zone).offset),
  );
  const matches = [...offsets]
    .map((offsetMinutes) => wallAsUtc - offsetMinutes * 60_000)
    .filter((instant) => wallClockMs(instant, zone) === wallAsUtc)
    .sort((a, b) => a - b);
  const first = matches[0];
  if (first !== undefined) return new Date(first);
  return new Date(firstInstantReaching(wallAsUtc, zone, guess.toMillis()));
}

/**
 * The first instant strictly after `after` at which the zone's clock shows `time`, and the local date
 * it belongs to. The repeated occurrence of a wall time is never returned (see instantOfLocalTime).
 */
export function nextLocalTime(after: Date, time: LocalTimeOfDay, zone: string): { date: BusinessDate; at: Date } {
  let date = businessDateOf(after, zone);
  for (;;) {
    const at = instantOfLocalTime(date, time, zone);
    if (at.getTime() > after.getTime()) return { date, at };
    date = addDays(date, 1);
  }
}

/** The local wall-clock reading of `instant` in `zone`, expressed as if it were a UTC instant. */
function wallClockMs(instant: number, zone: string): number {
  const local = inZone(new Date(instant), zone);
  return instant + local.offset * 60_000;
}

/**
 * The earliest instant whose wall clock reads `wallAsUtc` or later, searched below `upper` (an
 * instant already past the skipped time). The wall clock only moves forward near a spring-forward
 * gap, so a binary search over the three hours before `upper` finds the transition.
 */
function firstInstantReaching(wallAsUtc: number, zone: string, upper: number): number {
  let low = upper - 3 * 3_600_000;
  let high = upper;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (wallClockMs(middle, zone) >= wallAsUtc) high = middle;
    else low = middle;
  }
  return high;
}

function parseDate(date: BusinessDate, zone: string): DateTime {
  inZone(new Date(0), zone);
  const parsed = BUSINESS_DATE.test(date) ? DateTime.fromISO(date, { zone }) : undefined;
  if (!parsed?.isValid) throw new RangeError(`${date} is not a calendar date: expected YYYY-MM-DD, such as 2026-03-08.`);
  return parsed;
}

function invalid(value: string): never {
  throw new RangeError(`${value} has no calendar date`);
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { businessDayContaining, businessDayWindow, businessDayWindows, windowHours } from './business-day.js';
import { addDays, inZone, instantOfLocalTime, nextLocalTime } from './local-time.js';

// Zones chosen for their awkward rules: +14 h, a half-hour offset with DST, no DST, US and EU DST, a
// half-hour DST shift, and UTC. Every property must hold whatever TZ this process runs under.
const ZONES = ['Pacific/Kiritimati', 'America/St_Johns', 'Asia/Tokyo', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'UTC'];
const DAY_LENGTHS: Record<string, number[]> = {
  'Pacific/Kiritimati': [24],
  'America/St_Johns': [23, 24, 25],
  'Asia/Tokyo': [24],
  'America/New_York': [23, 24, 25],
  'Europe/London': [23, 24, 25],
  'Australia/Lord_Howe': [23.5, 24, 24.5],
  UTC: [24],
};
const zone = fc.constantFrom(...ZONES);
const instant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true });
const NINE = { hour: 9, minute: 0 };
const iso = (date: Date) => date.toISOString();

describe('business day windows', () => {
  it('contain the instant they were computed for, half-open', () => {
    fc.assert(
      fc.property(zone, instant, (z, t) => {
        const window = businessDayContaining(t, z);
        assert.ok(window.start.getTime() <= t.getTime() && t.getTime() < window.end.getTime(), `${iso(t)} in ${z}`);
        assert.equal(inZone(window.start, z).toISODate(), window.date);
      }),
    );
  });

  it('tile the timeline: each day ends exactly where the next one starts', () => {
    fc.assert(
      fc.property(zone, instant, (z, t) => {
        const today = businessDayContaining(t, z);
        const tomorrow = businessDayWindow(addDays(today.date, 1), z);
        assert.equal(iso(today.end), iso(tomorrow.start));
        assert.equal(businessDayContaining(today.end, z).date, tomorrow.date);
        assert.equal(businessDayContaining(new Date(today.end.getTime() - 1), z).date, today.date);
      }),
    );
  });

  it('last 24 hours except on the days the zone changes its offset, by exactly that change', () => {
    fc.assert(
      fc.property(zone, instant, (z, t) => {
        const window = businessDayContaining(t, z);
        const hours = windowHours(window);
        const change = (inZone(window.end, z).offset - inZone(window.start, z).offset) / 60;
        assert.equal(hours, 24 - change, `${window.date} in ${z}`);
        assert.ok(DAY_LENGTHS[z]?.includes(hours), `${window.date} in ${z} lasts ${hours} h`);
      }),
      { numRuns: 500 },
    );
  });

  it('give 23 h and 25 h for the 2026 US and UK daylight-saving days, 24 h elsewhere', () => {
    const hours = (date: string, z: string) => windowHours(businessDayWindow(date, z));
    assert.equal(hours('2026-03-08', 'America/New_York'), 23);
    assert.equal(hours('2026-11-01', 'America/New_York'), 25);
    assert.equal(hours('2026-03-29', 'Europe/London'), 23);
    assert.equal(hours('2026-10-25', 'Europe/London'), 25);
    assert.equal(hours('2026-03-08', 'America/St_Johns'), 23);
    assert.equal(hours('2026-04-05', 'Australia/Lord_Howe'), 24.5);
    assert.equal(hours('2026-03-08', 'Asia/Tokyo'), 24);
    const newYork = businessDayWindow('2026-03-08', 'America/New_York');
    assert.deepEqual([iso(newYork.start), iso(newYork.end)], ['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
  });

  it('lists one window per date of a report range, both ends included', () => {
    const windows = businessDayWindows('2026-10-31', '2026-11-02', 'America/New_York');
    assert.deepEqual(windows.map((w) => [w.date, windowHours(w)]), [['2026-10-31', 24], ['2026-11-01', 25], ['2026-11-02', 24]]);
  });

  it('rejects an unknown zone and a malformed date with a message naming the fix', () => {
    assert.throws(() => businessDayWindow('2026-03-08', 'Mars/Olympus'), /Mars\/Olympus is not a time zone.*IANA/);
    assert.throws(() => businessDayWindow('8 March 2026', 'UTC'), /not a calendar date: expected YYYY-MM-DD/);
  });
});

describe('the next local time of day', () => {
  it('is after the instant, shows that wall time (or follows a skipped one), and none comes between', () => {
    fc.assert(
      fc.property(zone, instant, fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 30), (z, t, hour, minute) => {
        const { date, at } = nextLocalTime(t, { hour, minute }, z);
        assert.ok(at.getTime() > t.getTime());
        assert.ok(at.getTime() - t.getTime() <= 50 * 3_600_000, `${iso(t)} → ${iso(at)} in ${z}`);
        const local = inZone(at, z);
        assert.equal(local.toISODate(), date);
        const shows = local.hour === hour && local.minute === minute;
        // When the wall time was skipped, the instant just before `at` is still before that wall time.
        const before = inZone(new Date(at.getTime() - 1), z);
        assert.ok(shows || before.hour * 60 + before.minute < hour * 60 + minute, `${iso(at)} in ${z} shows ${local.toISO()}`);
      }),
      { numRuns: 300 },
    );
  });

  it('bills Tokyo at 00:00Z and New York at 14:00Z in winter and 13:00Z in summer', () => {
    const at = (date: string, z: string) => iso(instantOfLocalTime(date, NINE, z));
    assert.equal(at('2026-03-08', 'Asia/Tokyo'), '2026-03-08T00:00:00.000Z');
    assert.equal(at('2026-03-07', 'America/New_York'), '2026-03-07T14:00:00.000Z');
    assert.equal(at('2026-03-08', 'America/New_York'), '2026-03-08T13:00:00.000Z');
    assert.equal(at('2026-10-31', 'America/New_York'), '2026-10-31T13:00:00.000Z');
    assert.equal(at('2026-11-01', 'America/New_York'), '2026-11-01T14:00:00.000Z');
  });

  it('runs a skipped wall time at the transition instead of losing it', () => {
    // 02:30 does not exist in New York on 8 Mar 2026: clocks jump from 02:00 EST to 03:00 EDT (07:00Z).
    assert.equal(iso(instantOfLocalTime('2026-03-08', { hour: 2, minute: 30 }, 'America/New_York')), '2026-03-08T07:00:00.000Z');
    // Lord Howe skips 02:00–02:30 on 4 Oct 2026.
    assert.equal(iso(instantOfLocalTime('2026-10-04', { hour: 2, minute: 15 }, 'Australia/Lord_Howe')), '2026-10-03T15:30:00.000Z');
  });

  it('runs a repeated wall time once, at its first occurrence', () => {
    // 01:30 happens twice in New York on 1 Nov 2026: 05:30Z (EDT) and 06:30Z (EST).
    const time = { hour: 1, minute: 30 };
    const first = nextLocalTime(new Date('2026-11-01T04:00:00Z'), time, 'America/New_York');
    assert.equal(iso(first.at), '2026-11-01T05:30:00.000Z');
    const next = nextLocalTime(first.at, time, 'America/New_York');
    assert.deepEqual([next.date, iso(next.at)], ['2026-11-02', '2026-11-02T06:30:00.000Z']);
    const fromBetween = nextLocalTime(new Date('2026-11-01T06:00:00Z'), time, 'America/New_York');
    assert.equal(fromBetween.date, '2026-11-02');
  });

  it('does not depend on the process time zone', () => {
    // luxon's default zone is the process's; nothing here may read it.
    const original = DateTime.local().zoneName;
    assert.equal(iso(businessDayWindow('2026-03-08', 'America/New_York').start), '2026-03-08T05:00:00.000Z', `process zone ${original}`);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { inZone } from '@faultline/shared/time';
import { parseLocalTime, quietHoursEnd, type QuietHours } from './quiet-hours.js';

// The zones of the shared time library's tests (libs/shared/src/time/business-day.test.ts): +14 h, a
// half-hour offset with DST, no DST, US and EU DST, a half-hour DST shift, and UTC.
const ZONES = ['Pacific/Kiritimati', 'America/St_Johns', 'Asia/Tokyo', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'UTC'];
const iso = (date: Date | undefined) => date?.toISOString();
const quiet = (start: string, end: string, timeZone: string): QuietHours => ({ start: parseLocalTime(start), end: parseLocalTime(end), timeZone });
const at = (instant: string, hours: QuietHours) => iso(quietHoursEnd(new Date(instant), hours));

describe('quiet hours', () => {
  it('hold a New York evening until 07:00 local: 12:00Z in summer, 13:00Z in winter', () => {
    const evening = quiet('22:00', '07:00', 'America/New_York');
    assert.equal(at('2026-07-01T03:00:00Z', evening), '2026-07-01T11:00:00.000Z');
    assert.equal(at('2026-12-01T04:00:00Z', evening), '2026-12-01T12:00:00.000Z');
    assert.equal(at('2026-07-01T11:00:00Z', evening), undefined, 'the end itself is outside: [start, end)');
    assert.equal(at('2026-07-01T01:59:59Z', evening), undefined, '21:59:59 EDT is before the start');
    assert.equal(at('2026-07-01T02:00:00Z', evening), '2026-07-01T11:00:00.000Z', '22:00 EDT is inside');
  });

  it('end an hour sooner on the night clocks go forward, and an hour later on the night they go back', () => {
    const evening = quiet('22:00', '07:00', 'America/New_York');
    // 7 Mar 2026 22:00 EST (03:00Z) to 8 Mar 07:00 EDT (11:00Z): 8 hours, not 9.
    assert.equal(at('2026-03-08T03:00:00Z', evening), '2026-03-08T11:00:00.000Z');
    // 31 Oct 2026 22:00 EDT (02:00Z) to 1 Nov 07:00 EST (12:00Z): 10 hours.
    assert.equal(at('2026-11-01T02:00:00Z', evening), '2026-11-01T12:00:00.000Z');
    assert.equal(at('2026-11-01T11:59:00Z', evening), '2026-11-01T12:00:00.000Z');
    const london = quiet('23:00', '06:00', 'Europe/London');
    // 28 Mar 2026 23:00 GMT to 29 Mar 06:00 BST (05:00Z); 24 Oct 23:00 BST (22:00Z) to 25 Oct 06:00 GMT.
    assert.equal(at('2026-03-29T00:30:00Z', london), '2026-03-29T05:00:00.000Z');
    assert.equal(at('2026-10-24T22:00:00Z', london), '2026-10-25T06:00:00.000Z');
  });

  it('start or end a window at the transition when its wall time is skipped, and count a repeated one once', () => {
    // 02:00–03:00 does not exist in New York on 8 Mar 2026: 01:00–03:00 lasts one hour, 06:00Z–07:00Z.
    const night = quiet('01:00', '03:00', 'America/New_York');
    assert.equal(at('2026-03-08T06:30:00Z', night), '2026-03-08T07:00:00.000Z');
    assert.equal(at('2026-03-08T07:00:00Z', night), undefined);
    // A window starting in the skipped hour starts at the transition (07:00Z = 03:00 EDT).
    assert.equal(at('2026-03-08T07:10:00Z', quiet('02:30', '04:00', 'America/New_York')), '2026-03-08T08:00:00.000Z');
    // 1 Nov 2026: 01:00 EDT (05:00Z) to 03:00 EST (08:00Z), three hours with both 01:xx in it.
    assert.equal(at('2026-11-01T05:00:00Z', night), '2026-11-01T08:00:00.000Z');
    assert.equal(at('2026-11-01T06:30:00Z', night), '2026-11-01T08:00:00.000Z');
    // Lord Howe moves by half an hour: 02:00–02:30 is skipped on 4 Oct 2026.
    assert.equal(at('2026-10-03T15:20:00Z', quiet('01:30', '03:00', 'Australia/Lord_Howe')), '2026-10-03T16:00:00.000Z');
  });

  it('are a window inside one day when the end comes after the start', () => {
    const lunch = quiet('12:00', '13:30', 'Asia/Tokyo');
    assert.equal(at('2026-03-08T03:15:00Z', lunch), '2026-03-08T04:30:00.000Z');
    assert.equal(at('2026-03-08T04:30:00Z', lunch), undefined);
    assert.equal(at('2026-03-08T02:59:00Z', lunch), undefined);
  });

  it('end after the instant, at the end time (or the first instant after a skipped one), within a day and an hour, in every zone', () => {
    const time = fc.record({ hour: fc.integer({ min: 0, max: 23 }), minute: fc.constantFrom(0, 15, 30, 45) });
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }),
        time,
        time,
        (timeZone, instant, start, end) => {
          fc.pre(start.hour !== end.hour || start.minute !== end.minute);
          const until = quietHoursEnd(instant, { start, end, timeZone });
          if (!until) return;
          assert.ok(until.getTime() > instant.getTime());
          assert.ok(until.getTime() - instant.getTime() <= 25 * 3_600_000, `${iso(instant)} held until ${iso(until)} in ${timeZone}`);
          const local = inZone(until, timeZone);
          const before = inZone(new Date(until.getTime() - 1), timeZone);
          const shows = local.hour === end.hour && local.minute === end.minute;
          const skipped = before.hour * 60 + before.minute < end.hour * 60 + end.minute;
          assert.ok(shows || skipped, `${iso(until)} in ${timeZone} shows ${local.toISO()}, not ${end.hour}:${end.minute}`);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rejects a time of day that is not HH:MM', () => {
    for (const value of ['7:00', '24:00', '12:60', '12:00:00', 'noon']) assert.throws(() => parseLocalTime(value), /HH:MM/, value);
  });
});

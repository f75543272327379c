import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ianaTimeZone, isIanaTimeZone } from './iana-time-zone.js';

describe('isIanaTimeZone', () => {
  it('accepts zone names, link names and UTC', () => {
    for (const zone of ['Europe/Paris', 'America/Argentina/Buenos_Aires', 'Asia/Kolkata', 'Asia/Calcutta', 'UTC', 'Etc/GMT+5']) {
      assert.equal(isIanaTimeZone(zone), true, zone);
    }
  });

  it('rejects unknown names, UTC offsets and empty strings', () => {
    for (const zone of ['Mars/Olympus', 'Europe/Parys', '+01:00', 'UTC+1', '', 'Europe/../Paris']) {
      assert.equal(isIanaTimeZone(zone), false, zone);
    }
  });
});

describe('ianaTimeZone schema', () => {
  it('keeps the zone exactly as given and explains a rejection', () => {
    assert.equal(ianaTimeZone().parse('Asia/Tokyo'), 'Asia/Tokyo');
    const result = ianaTimeZone().safeParse('Tokyo/Japan');
    assert.equal(result.success, false);
    assert.match(result.error?.issues[0]?.message ?? '', /IANA time zone/);
  });
});

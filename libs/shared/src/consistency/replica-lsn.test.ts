import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatLsn, parseLsn, walBytesBetween } from './replica-lsn.js';

describe('WAL positions (replica tokens)', () => {
  it('reads an LSN as PostgreSQL prints it and prints it back unchanged', () => {
    assert.equal(parseLsn('0/16B3748'), 0x16b3748n);
    assert.equal(parseLsn('1/0'), 1n << 32n);
    assert.equal(formatLsn(parseLsn('A/FF00E1') ?? 0n), 'A/FF00E1');
  });

  it('refuses anything that is not an LSN, because a token comes from the client', () => {
    for (const junk of ['', '16B3748', '0/', 'G/1', '0/1/2', '123456789/0', "0/1'; DROP TABLE x"]) {
      assert.equal(parseLsn(junk), undefined, junk);
    }
  });

  it('compares positions across the 32-bit halves', () => {
    assert.ok((parseLsn('1/0') ?? 0n) > (parseLsn('0/FFFFFFFF') ?? 0n));
  });

  it('counts the bytes of WAL a replica is behind, and zero when it is not behind', () => {
    assert.equal(walBytesBetween(parseLsn('1/10') ?? 0n, parseLsn('0/FFFFFFF0') ?? 0n), 0x20);
    assert.equal(walBytesBetween(parseLsn('0/10') ?? 0n, parseLsn('0/20') ?? 0n), 0);
  });
});

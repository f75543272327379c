import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UNKNOWN_ACCOUNT_HASH, hashPassword, verifyPassword } from './password-hashing.js';

describe('password hashing (scrypt, per-user salt)', () => {
  it('verifies the password a hash was made from and refuses any other', async () => {
    const hash = await hashPassword('correct horse battery staple');
    assert.equal(await verifyPassword('correct horse battery staple', hash), true);
    assert.equal(await verifyPassword('correct horse battery stapl', hash), false);
    assert.equal(await verifyPassword('', hash), false);
  });

  it('salts every hash, so two accounts with one password store different hashes', async () => {
    const [first, second] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    assert.notEqual(first, second);
    assert.match(first, /^scrypt\$N=32768,r=8,p=3\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  });

  it('reads the parameters from the stored hash, so hashes made with other parameters still verify', async () => {
    const hash = await hashPassword('parameters travel with the hash');
    const [, , salt, key] = hash.split('$');
    // Same salt and key under a different cost would not match: the cost is part of the derivation.
    assert.equal(await verifyPassword('parameters travel with the hash', `scrypt$N=16384,r=8,p=3$${salt}$${key}`), false);
  });

  it('treats unicode passwords by their NFKC form, so the same password typed two ways matches', async () => {
    const hash = await hashPassword('caf\u00e9 au lait');
    assert.equal(await verifyPassword('cafe\u0301 au lait', hash), true);
  });

  it('has a hash for unknown accounts that no password matches', async () => {
    assert.equal(await verifyPassword('', UNKNOWN_ACCOUNT_HASH), false);
    assert.equal(await verifyPassword('password', UNKNOWN_ACCOUNT_HASH), false);
  });

  it('refuses a stored value that is not a hash of this format instead of comparing against it', async () => {
    await assert.rejects(verifyPassword('plain', 'plain'), /scrypt\$N=/);
  });
});

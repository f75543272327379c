import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt parameters, explained once. OWASP's Password Storage Cheat Sheet lists N=2^15, r=8, p=3 as
 * one of its equivalent minimum settings for scrypt; of those it needs the least memory (32 MiB per
 * hash), which matters on a 2-core workshop laptop where four hashes can run at once on libuv's
 * thread pool. About 0.3 s per hash here: slow for a guesser, unnoticeable for a person signing in.
 * The parameters are stored in each hash, so raising them later keeps old hashes verifiable.
 */
const CURRENT = { N: 2 ** 15, r: 8, p: 3 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

/** `scrypt$N=32768,r=8,p=3$<salt, base64url>$<key, base64url>` */
const FORMAT = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

/** Hashes a password with a fresh random salt; the result carries its own parameters. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, CURRENT);
  return `scrypt$N=${CURRENT.N},r=${CURRENT.r},p=${CURRENT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** True when `password` is the one `hash` was made from. Compares in constant time. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const parts = FORMAT.exec(hash);
  if (!parts) throw new Error('stored password hash is not in the scrypt$N=…,r=…,p=…$salt$key format');
  const [, N, r, p, salt, expected] = parts;
  const expectedKey = Buffer.from(expected, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), expectedKey.length, { N: Number(N), r: Number(r), p: Number(p) });
  return timingSafeEqual(key, expectedKey);
}

/**
 * A hash of a password nobody has, to verify against when the e-mail address is unknown: signing
 * in as a stranger then costs the same time as signing in with a wrong password, so the answer's
 * timing does not reveal which addresses have accounts.
 */
export const UNKNOWN_ACCOUNT_HASH = `scrypt$N=${CURRENT.N},r=${CURRENT.r},p=${CURRENT.p}$${randomBytes(SALT_BYTES).toString('base64url')}$${randomBytes(KEY_BYTES).toString('base64url')}`;

function derive(password: string, salt: Buffer, length: number, { N, r, p }: { N: number; r: number; p: number }): Promise<Buffer> {
  // Node refuses a cost above 32 MiB unless maxmem allows it; leave room for parameters raised later.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, length, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/**
 * A PostgreSQL WAL position (`pg_lsn`), e.g. `0/16B3748`: two hexadecimal halves of a 64-bit byte
 * offset into the write-ahead log. Kept as a bigint so positions compare and subtract exactly in JS
 * (a number is exact only up to 2^53; a busy cluster passes that eventually).
 */
export type WalPosition = bigint;

const LSN_TEXT = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i;

/** Parses `X/Y` as PostgreSQL prints it; undefined for anything else (a client-supplied token may be junk). */
export function parseLsn(text: string): WalPosition | undefined {
  const match = LSN_TEXT.exec(text.trim());
  if (!match?.[1] || !match[2]) return undefined;
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
}

/** Prints a position the way PostgreSQL does, so it can be passed back as `$1::pg_lsn`. */
export function formatLsn(position: WalPosition): string {
  return `${(position >> 32n).toString(16).toUpperCase()}/${(position & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** Bytes of WAL between two positions, like `pg_wal_lsn_diff(ahead, behind)`; never negative. */
export function walBytesBetween(ahead: WalPosition, behind: WalPosition): number {
  return ahead > behind ? Number(ahead - behind) : 0;
}

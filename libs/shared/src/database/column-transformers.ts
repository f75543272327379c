import type { ValueTransformer } from 'typeorm';

/**
 * `bigint` columns arrive from pg as strings, because a JS number is exact only up to 2^53. Amounts
 * in cents and sequence numbers stay far below that, so they are read as numbers; anything larger is
 * refused instead of being silently rounded.
 */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from(value: string | null): number | null {
    if (value === null) return null;
    const number = Number(value);
    if (!Number.isSafeInteger(number)) throw new RangeError(`bigint ${value} does not fit in a JS number`);
    return number;
  },
};

/** Examples named in a failed invariant's detail: enough to start digging, short enough to read. */
export const EXAMPLES = 3;

/** `, e.g. <the first EXAMPLES ids>` after a count of them, or nothing when there are none. */
export function examples(ids: readonly string[]): string {
  return ids.length > 0 ? `, e.g. ${ids.slice(0, EXAMPLES).join(', ')}` : '';
}

/**
 * The corrupt body of the `corruptBody` fault: valid JSON with the same field names, every value of
 * the wrong type (strings become numbers, numbers strings, lists and flags strings). A client that
 * only checks the status and reads `body.id` takes it for a success; one that validates the body
 * against the contract sees that it is not (article 6).
 */
export function scrambleTypes(value: unknown): unknown {
  if (Array.isArray(value)) return `[${value.length} items]`;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([field, inner]) => [field, scrambleTypes(inner)]));
  }
  if (typeof value === 'string') return value.length;
  if (typeof value === 'number') return String(value);
  return String(value);
}

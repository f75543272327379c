/**
 * Text PostgreSQL cannot store, found anywhere in a value that came from outside: in a request body,
 * a path or query parameter, or a consumed event. Everything validated ends up in PostgreSQL (text
 * columns, jsonb payloads in the outbox and the event store), which refuses U+0000 in both and an
 * unpaired UTF-16 surrogate in jsonb (`\ud800` alone is not a character); in a text column the driver
 * would silently store U+FFFD instead. Refusing both at the boundary turns a 500 from the database
 * (or a changed value) into a 400 naming the field, or a dead letter naming the event's field.
 */
export interface UnstorableText {
  /** Where the string is: object keys and array indexes from the value's root. */
  path: PropertyKey[];
  message: string;
}

export const NUL_MESSAGE = 'must not contain the NUL character (U+0000)';
export const UNPAIRED_SURROGATE_MESSAGE = 'must be well-formed Unicode: it holds an unpaired surrogate (U+D800–U+DFFF), which is not a character';

/** In a `u` regular expression a well-formed pair is one code point; only an unpaired half is in category Cs. */
const UNPAIRED_SURROGATE = /\p{Cs}/u;

/** The problem with one string, if it has one. */
export function unstorableTextProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return NUL_MESSAGE;
  if (UNPAIRED_SURROGATE.test(text)) return UNPAIRED_SURROGATE_MESSAGE;
  return undefined;
}

/**
 * Every string in `value`, object keys included, that PostgreSQL cannot store, with its path.
 * Iterative, so no input nests deep enough to overflow the stack.
 */
export function findUnstorableText(value: unknown): UnstorableText[] {
  const found: UnstorableText[] = [];
  const pending: [unknown, PropertyKey[]][] = [[value, []]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [current, path] = next;
    if (typeof current === 'string') {
      const message = unstorableTextProblem(current);
      if (message !== undefined) found.push({ path, message });
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, inner] of Object.entries(current)) {
        const keyProblem = Array.isArray(current) ? undefined : unstorableTextProblem(key);
        if (keyProblem !== undefined) found.push({ path: [...path, key], message: `its name ${keyProblem}` });
        pending.push([inner, [...path, Array.isArray(current) ? Number(key) : key]]);
      }
    }
  }
  return found.reverse();
}

/** `payload.lines.0.sku`, for a message. */
export function describePath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(the value itself)' : path.map(String).join('.');
}

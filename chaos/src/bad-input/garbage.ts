import fc from 'fast-check';

/**
 * The values that break parsers and validators: every JSON type, numbers at the edges, strings of
 * every script (and lone surrogates), huge strings and deep nesting. For one field of an otherwise
 * valid body, or for a whole body.
 */
export const garbageValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: fc.anything({ maxDepth: 2 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      0,
      -0,
      -1,
      1.5,
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER + 2,
      -Number.MAX_SAFE_INTEGER - 2,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      1e21,
      2 ** 31,
      -(2 ** 63),
      '',
      ' ',
      '\u0000',
      // Unpaired UTF-16 surrogates: valid in a JS string and in JSON text, but not characters, so
      // PostgreSQL's jsonb refuses them and a text column would silently store U+FFFD instead.
      '\ud800',
      'sku-\udfff',
      '\udc00\ud800',
      'null',
      'NaN',
      '1e400',
      '0x10',
      true,
      null,
      [],
      {},
      { __proto__: { polluted: true } },
      { constructor: { prototype: { polluted: true } } },
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 20_000 }).map((length) => 'x'.repeat(length)) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 2_000 }).map((depth) => nested(depth)) },
);

/** `[[[…]]]` `depth` deep, built without recursion. */
export function nested(depth: number): unknown {
  let value: unknown = [];
  for (let level = 1; level < depth; level += 1) value = [value];
  return value;
}

/**
 * JSON text for anything fc.anything can make: a value JSON cannot express (undefined, a bigint, a
 * function) becomes its string form, as a sloppy client would send it.
 */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? inner.toString() : inner)) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Text that is not JSON, sent as `application/json`: truncated, trailing garbage, JS-isms, numbers JSON.parse turns into Infinity. */
export const invalidJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('{"oops": ', '{', '[', '{"a":1,}', "{'a': 1}", '{"a": NaN}', '{"a": undefined}', '{"a": 1} {"b": 2}', 'nul', '\u0000', '\uFEFF{}'),
  fc.string({ unit: 'binary', maxLength: 200 }).filter((candidate) => !parsesAsJson(candidate)),
  fc.jsonValue().map((value) => `${JSON.stringify(value)}}`),
  fc.constantFrom('{"amountMinor": 1e400}', '{"quantity": -1e400}', '[1e400]'),
);

/** Top-level JSON that is valid but not an object: body-parser's strict mode refuses it, or the schema does. */
export const jsonNonObject: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('null', 'true', '0', '"text"', '[]', '[{}]'),
  fc.jsonValue().filter((value) => typeof value !== 'object' || value === null || Array.isArray(value)).map((value) => JSON.stringify(value)),
);

export function parsesAsJson(candidate: string): boolean {
  try {
    JSON.parse(candidate);
    return true;
  } catch {
    return false;
  }
}

/** A path segment that is not the parameter it stands for: bad percent-encoding, traversal, huge, every script. */
export const garbageSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%C0%AF', '%FF', '..', '.', '%2F', '%2e%2e', '%20', 'null', '-1', '0', '1e400', 'NaN', ';', '%3B', '~'),
  // A surrogate half encoded as UTF-8 bytes (ED A0 80): no character, so no valid UTF-8 either.
  fc.constantFrom('%ED%A0%80', 'a%ED%BF%BFb', '%F0%9F%8D%B5'),
  fc.string({ unit: 'grapheme', maxLength: 60 }).map((segment) => encodeURIComponent(segment)),
  fc.integer({ min: 100, max: 4_000 }).map((length) => 'a'.repeat(length)),
  fc.uuid().map((uuid) => uuid.toUpperCase()),
  fc.uuid().map((uuid) => `${uuid}x`),
  fc.uuid().map((uuid) => uuid.replaceAll('-', '')),
);

/** Printable ASCII (what an HTTP header value may carry), for broken Idempotency-Keys and query values. */
const printable = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));

export const garbageHeaderValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', 'clé', 'key\u00ff', '\t'),
  fc.string({ unit: printable, maxLength: 40 }),
  fc.integer({ min: 256, max: 4_000 }).map((length) => 'k'.repeat(length)),
);

export const garbageQueryValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', '%', '%zz', '1e400', 'NaN', '2026-02-30', '2026-13-01', '0000-00-00', '9999-12-31', 'Mars/Olympus_Mons', '../../etc'),
  fc.integer({ min: 100, max: 4_000 }).map((length) => 'q'.repeat(length)),
);

import fc from 'fast-check';
import {
  garbageHeaderValue,
  garbageQueryValue,
  garbageSegment,
  garbageValue,
  invalidJsonText,
  jsonNonObject,
  jsonText,
  nested,
} from './garbage.js';
import type { HttpApi } from './http-apis.js';

/** One request as the fuzz sends it; printed as the counterexample when an answer breaks the property. */
export interface FuzzedRequest {
  /** Which part of the request is broken, for the report: `body:near-valid`, `path:garbage`… */
  shape: string;
  path: string;
  headers: Record<string, string>;
  /** Absent: no body at all. */
  body?: string;
}

/**
 * How a body is broken. Near-valid (one field wrong or missing) is weighted highest: it is what
 * reaches the schemas' field-level checks and, when a check is missing, the handler behind them.
 */
const BODY_KINDS = [
  { weight: 6, kind: 'near-valid' },
  { weight: 2, kind: 'valid' },
  { weight: 1, kind: 'valid-extra-fields' },
  { weight: 2, kind: 'garbage' },
  { weight: 1, kind: 'not-json' },
  { weight: 1, kind: 'json-non-object' },
  { weight: 1, kind: 'deep-nesting' },
  { weight: 1, kind: 'huge' },
  { weight: 1, kind: 'none' },
] as const;

const jsonContentType = 'application/json';
const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 12, arbitrary: fc.constant(jsonContentType) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      undefined,
      'application/json; charset=utf-8',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/json; charset=nonsense',
      'application/problem+json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=----fuzz',
      'application/xml',
      'application/octet-stream',
      '*/*',
      'application',
      ';;;',
    ),
  },
);
const contentEncoding: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 20, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-fuzz', 'gzip, gzip') },
);

/** Every request shape for one API: the valid request with its path, query, headers or body broken. */
export function fuzzedRequest(api: HttpApi): fc.Arbitrary<FuzzedRequest> {
  return fc
    .record({
      path: pathOf(api),
      query: queryOf(api),
      body: bodyOf(api),
      idempotencyKey: idempotencyKeyOf(api),
      contentType: api.body ? contentType : fc.constant(undefined),
      contentEncoding: api.body ? contentEncoding : fc.constant(undefined),
    })
    .map(({ path, query, body, idempotencyKey, contentType: type, contentEncoding: encoding }) => {
      const headers: Record<string, string> = {};
      if (type !== undefined && body.text !== undefined) headers['content-type'] = type;
      if (encoding !== undefined) headers['content-encoding'] = encoding;
      if (idempotencyKey.value !== undefined) headers['idempotency-key'] = idempotencyKey.value;
      const shape = [path.shape, query.shape, body.shape, idempotencyKey.shape].filter((part) => part !== '').join(' ') || 'valid';
      return { shape, path: `${path.value}${query.value}`, headers, ...(body.text !== undefined && { body: body.text }) };
    });
}

interface Part {
  shape: string;
  value: string;
}

function pathOf(api: HttpApi): fc.Arbitrary<Part> {
  const names = Object.keys(api.params ?? {});
  if (names.length === 0) return fc.constant({ shape: '', value: api.route });
  const segment = (name: string) =>
    fc.oneof(
      { weight: 3, arbitrary: (api.params?.[name] ?? fc.uuid()).map((value) => ({ broken: false, value: encodeURIComponent(value) })) },
      { weight: 2, arbitrary: garbageSegment.map((value) => ({ broken: true, value })) },
    );
  return fc.tuple(...names.map(segment)).map((segments) => {
    let value = api.route;
    names.forEach((name, index) => (value = value.replace(`{${name}}`, segments[index]?.value ?? '')));
    return { shape: segments.some((s) => s.broken) ? 'path:garbage' : '', value };
  });
}

function queryOf(api: HttpApi): fc.Arbitrary<Part> {
  if (!api.query) return fc.constant({ shape: '', value: '' });
  const encode = (entries: [string, string][]) => (entries.length === 0 ? '' : `?${new URLSearchParams(entries).toString()}`);
  return fc.oneof(
    { weight: 2, arbitrary: api.query.map((query) => ({ shape: '', value: encode(Object.entries(query)) })) },
    {
      weight: 4,
      arbitrary: fc.tuple(api.query, fc.nat(), garbageQueryValue, fc.boolean()).map(([query, pick, garbage, drop]) => {
        const entries = Object.entries(query);
        const index = pick % entries.length;
        const broken = drop ? entries.filter((_, i) => i !== index) : entries.map(([k, v], i): [string, string] => [k, i === index ? garbage : v]);
        return { shape: 'query:near-valid', value: encode(broken) };
      }),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(api.query, garbageQueryValue).map(([query, extra]) => {
        // Repeated keys arrive as arrays; bracketed ones as nested objects with the extended parser.
        const entries = Object.entries(query).flatMap(([k, v]): [string, string][] => [[k, v], [k, extra]]);
        return { shape: 'query:repeated', value: `${encode(entries)}&${Object.keys(query)[0] ?? 'q'}[x]=1` };
      }),
    },
    {
      weight: 1,
      // Percent-encoded bytes URLSearchParams never writes: a surrogate half as UTF-8 (ED A0 80), a NUL.
      arbitrary: fc.tuple(api.query, fc.nat(), fc.constantFrom('%ED%A0%80', 'x%ED%BF%BF', '%00', 'a%00b')).map(([query, pick, raw]) => {
        const entries = Object.entries(query);
        const index = pick % entries.length;
        const pairs = entries.map(([k, v], i) => `${encodeURIComponent(k)}=${i === index ? raw : encodeURIComponent(v)}`);
        return { shape: 'query:raw-bytes', value: `?${pairs.join('&')}` };
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('?%', '?%zz=1', '?=', '?&&&', '?a=%E0%A4%A', '?__proto__[x]=1', '?constructor[prototype][x]=1', '?a[b][c][d][e][f][g]=1')
        .map((value) => ({ shape: 'query:raw-garbage', value })),
    },
  );
}

interface BodyPart {
  shape: string;
  text?: string;
}

function bodyOf(api: HttpApi): fc.Arbitrary<BodyPart> {
  const valid = api.body;
  if (!valid) return fc.constant({ shape: '' });
  const byKind: Record<(typeof BODY_KINDS)[number]['kind'], fc.Arbitrary<BodyPart>> = {
    valid: valid.map((body) => ({ shape: 'body:valid', text: JSON.stringify(body) })),
    'near-valid': fc.tuple(valid, fc.nat(), garbageValue, fc.boolean()).map(([body, pick, garbage, drop]) => ({
      shape: 'body:near-valid',
      text: jsonText(breakOneField(body, pick, garbage, drop)),
    })),
    'valid-extra-fields': fc
      .tuple(valid, fc.dictionary(fc.string({ maxLength: 20 }), garbageValue, { minKeys: 1, maxKeys: 3 }))
      .map(([body, extra]) => ({ shape: 'body:extra-fields', text: jsonText({ ...extra, ...body }) })),
    garbage: garbageValue.map((value) => ({ shape: 'body:garbage', text: jsonText(value) })),
    'not-json': invalidJsonText.map((text) => ({ shape: 'body:not-json', text })),
    'json-non-object': jsonNonObject.map((text) => ({ shape: 'body:non-object', text })),
    'deep-nesting': fc
      .integer({ min: 1_000, max: 49_000 })
      .map((depth) => ({ shape: 'body:deep-nesting', text: `${'['.repeat(depth)}${']'.repeat(depth)}` })),
    // Past body-parser's 100 kB limit, and just under it with a huge field.
    huge: fc.oneof(
      fc.integer({ min: 100_001, max: 400_000 }).map((length) => ({ shape: 'body:huge', text: JSON.stringify({ blob: 'h'.repeat(length) }) })),
      valid.map((body) => ({ shape: 'body:huge-field', text: jsonText(breakOneField(body, 0, 'h'.repeat(90_000), false)) })),
      fc.constant({ shape: 'body:huge-nested-field', text: jsonText({ wrapper: nested(20_000) }) }),
    ),
    none: fc.constant({ shape: api.emptyBodyValid ? 'body:none(valid)' : 'body:none' }),
  };
  return fc.oneof(...BODY_KINDS.map(({ weight, kind }) => ({ weight, arbitrary: byKind[kind] })));
}

/**
 * The valid body with one leaf (chosen by `pick` among all leaves, nested ones included) replaced by
 * `garbage`, or removed.
 */
export function breakOneField(body: Record<string, unknown>, pick: number, garbage: unknown, drop: boolean): unknown {
  const leaves = leafPaths(body);
  if (leaves.length === 0) return drop ? body : { field: garbage };
  const path = leaves[pick % leaves.length] ?? [];
  const copy = structuredClone(body) as Record<string, unknown>;
  let holder: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) holder = holder[key] as Record<string, unknown>;
  const last = path[path.length - 1] ?? '';
  if (drop) delete holder[last];
  else holder[last] = garbage;
  return copy;
}

function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return prefix.length > 0 ? [prefix] : [];
  const entries = Object.entries(value);
  if (entries.length === 0) return prefix.length > 0 ? [prefix] : [];
  return [...(prefix.length > 0 ? [prefix] : []), ...entries.flatMap(([key, inner]) => leafPaths(inner, [...prefix, key]))];
}

function idempotencyKeyOf(api: HttpApi): fc.Arbitrary<{ shape: string; value?: string }> {
  if (!api.idempotencyKey) return fc.constant({ shape: '' });
  return fc.oneof(
    { weight: 6, arbitrary: fc.uuid().map((value) => ({ shape: '', value })) },
    { weight: 1, arbitrary: fc.constant({ shape: api.idempotencyKey === 'required' ? 'key:missing' : '' }) },
    { weight: 2, arbitrary: garbageHeaderValue.map((value) => ({ shape: 'key:garbage', value })) },
  );
}

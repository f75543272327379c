import assert from 'node:assert/strict';
import { it } from 'node:test';
import { request as httpRequest } from 'node:http';
import { ACCESS_EXTENSION } from '../access-control/index.js';
import { BODY_TOO_LARGE_PROBLEM, DEFAULT_ABUSE_LIMITS, HEADERS_TOO_LARGE_PROBLEM } from '../abuse-limits/index.js';

/** What the conformance tests need to know about one service. */
export interface ConformanceTarget {
  /** The base URL of the running service, read when each test runs. */
  baseUrl: () => string;
  /** Paths (as in OpenAPI, e.g. `/orders/{id}`) that `/docs-json` must list. */
  documentedPaths: string[];
  /**
   * An endpoint that takes a JSON body, and a body that is valid JSON but fails its schema. A
   * service without one still gets the malformed-JSON test: the body parser runs before routing.
   */
  jsonEndpoint?: { method: 'POST' | 'PUT'; path: string; invalidBody: unknown; invalidFields: string[] };
  /** A bearer token the JSON endpoint accepts, when the service enforces tokens (article 2). */
  token?: () => Promise<string>;
  /**
   * The service checks tokens, so every operation in its OpenAPI document must declare who may call
   * it (`x-faultline-access`, written by `@Access.*`): a route added without a rule fails here.
   */
  accessRules?: boolean;
}

const ACCESS_KINDS = ['public', 'customer', 'owner', 'operator', 'service'];

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: { in: string; path: string; message: string }[];
  [extension: string]: unknown;
}

/** Asserts an RFC 9457 answer with the given status and returns its body. */
export async function expectProblem(response: Response, status: number): Promise<Problem> {
  assert.equal(response.status, status, `expected ${status}, got ${response.status}`);
  assert.equal(response.headers.get('content-type')?.split(';')[0], 'application/problem+json');
  const problem = (await response.json()) as Problem;
  for (const field of ['type', 'title', 'detail'] as const) assert.equal(typeof problem[field], 'string', field);
  assert.equal(problem.status, status);
  return problem;
}

/**
 * Registers, inside the caller's `describe`, the tests every Faultline service must pass because it
 * uses the shared ServiceDefaults: health, readiness, metrics, OpenAPI, and problem+json errors.
 */
export function itBehavesLikeAFaultlineService(target: ConformanceTarget): void {
  const url = (path: string) => `${target.baseUrl()}${path}`;

  it('reports itself alive on /health without checking dependencies', async () => {
    const response = await fetch(url('/health'));
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { status: string }).status, 'ok');
  });

  it('reports itself ready on /ready when its database and Kafka answer', async () => {
    const response = await fetch(url('/ready'));
    const body = (await response.json()) as { status: string; details: Record<string, { status: string }> };
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(body.details.database?.status, 'up');
    assert.equal(body.details.kafka?.status, 'up');
  });

  it('exposes request durations and the default Node.js metrics on /metrics', async () => {
    await fetch(url('/health'));
    const response = await fetch(url('/metrics'));
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await response.text();
    assert.match(text, /^http_request_duration_seconds_count\{.*route="\/health".*\} \d+$/m);
    assert.match(text, /^process_cpu_user_seconds_total\{service="[a-z]+(?:-[a-z]+)*"\} /m);
    assert.match(text, /^nodejs_heap_size_used_bytes\{service="[a-z]+(?:-[a-z]+)*"\} /m);
  });

  it('documents its routes in OpenAPI at /docs-json and serves the UI at /docs', async () => {
    const document = (await (await fetch(url('/docs-json'))).json()) as { openapi: string; paths: Record<string, unknown> };
    assert.match(document.openapi, /^3\./);
    for (const path of [...target.documentedPaths, '/health', '/ready']) {
      assert.ok(path in document.paths, `${path} missing from ${Object.keys(document.paths).join(', ')}`);
    }
    if (target.accessRules) {
      const undeclared: string[] = [];
      for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, Record<string, unknown>>>)) {
        for (const [method, operation] of Object.entries(operations)) {
          const rule = operation[ACCESS_EXTENSION] as { kind?: unknown; reason?: unknown } | undefined;
          const declared = rule !== undefined && ACCESS_KINDS.includes(String(rule.kind)) && (rule.kind !== 'public' || typeof rule.reason === 'string');
          if (!declared) undeclared.push(`${method.toUpperCase()} ${path}`);
        }
      }
      assert.deepEqual(undeclared, [], `operations without an ${ACCESS_EXTENSION} rule: ${undeclared.join(', ')}`);
    }
    const ui = await fetch(url('/docs'));
    assert.equal(ui.status, 200);
    assert.match(ui.headers.get('content-type') ?? '', /text\/html/);
  });

  it('answers malformed JSON with a 400 problem that says the body is not valid JSON', async () => {
    const { method, path } = target.jsonEndpoint ?? { method: 'POST', path: '/' };
    const response = await fetch(url(path), { method, headers: { 'content-type': 'application/json' }, body: '{"oops": ' });
    const problem = await expectProblem(response, 400);
    assert.equal(problem.type, 'urn:faultline:problem:malformed-body');
    assert.match(problem.detail, /not valid JSON/);
  });

  const { jsonEndpoint } = target;
  if (jsonEndpoint) {
    it('answers a body that fails its schema with a 400 problem listing each field', async () => {
      const authorization: Record<string, string> = target.token ? { authorization: `Bearer ${await target.token()}` } : {};
      const response = await fetch(url(jsonEndpoint.path), {
        method: jsonEndpoint.method,
        headers: { 'content-type': 'application/json', ...authorization },
        body: JSON.stringify(jsonEndpoint.invalidBody),
      });
      const problem = await expectProblem(response, 400);
      assert.equal(problem.type, 'urn:faultline:problem:validation');
      assert.deepEqual(problem.errors?.map((e) => e.path).sort(), [...jsonEndpoint.invalidFields].sort());
      for (const error of problem.errors ?? []) assert.ok(error.message.length > 0);
    });
  }

  it('answers a body over the size limit with 413 and headers over it with 431, both as problems', async () => {
    const { method, path } = target.jsonEndpoint ?? { method: 'POST', path: '/' };
    const body = JSON.stringify({ padding: 'x'.repeat(DEFAULT_ABUSE_LIMITS.jsonBodyBytes) });
    const tooLarge = await expectProblem(await fetch(url(path), { method, headers: { 'content-type': 'application/json' }, body }), 413);
    assert.equal(tooLarge.type, BODY_TOO_LARGE_PROBLEM);
    // Node's HTTP server refuses these before the app: fetch cannot send them, node:http can.
    const headers = await rawGet(url('/health'), { 'x-padding': 'x'.repeat(DEFAULT_ABUSE_LIMITS.headerBytes) });
    assert.equal(headers.status, 431);
    assert.equal(headers.contentType?.split(';')[0], 'application/problem+json');
    assert.equal((JSON.parse(headers.body) as { type?: string }).type, HEADERS_TOO_LARGE_PROBLEM);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const problem = await expectProblem(await fetch(url('/no-such-route')), 404);
    assert.equal(problem.instance, '/no-such-route');
  });

  it('echoes a caller-supplied request id so one id can follow a request across services', async () => {
    const response = await fetch(url('/health'), { headers: { 'x-request-id': 'trace-me-42' } });
    assert.equal(response.headers.get('x-request-id'), 'trace-me-42');
  });
}

/** A GET over node:http, which sends oversized headers as they are. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; contentType: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

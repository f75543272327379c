import fc from 'fast-check';
import type { Narrate } from '../chaos-report.js';
import type { BadInputProfile } from './bad-input-profile.js';
import { fuzzedRequest, type FuzzedRequest } from './fuzzed-request.js';
import { FUZZ_CUSTOMER_ID, apiName, type HttpApi } from './http-apis.js';
import { problemAnswerViolation, type Answer } from './problem-answer.js';
import type { SystemUnderTest } from './system-under-test.js';

/** A request with no answer within this long counts as a failure: a hung handler is as bad as a 500. */
const ANSWER_TIMEOUT_MS = 15_000;
/** Counterexamples can hold 400 kB bodies: the report keeps their start. */
const COUNTEREXAMPLE_CHARS = 1_500;
/** How long a service that answered 5xx may take to be ready again before its request is replayed. */
const READY_AGAIN_WAIT_MS = 60_000;

export interface ApiFuzzResult {
  api: string;
  /** Requests sent, shrinking included. */
  requests: number;
  statuses: Map<number, number>;
  /** 5xx answers that did not reproduce once the service was ready again: a dependency outage, not the input. */
  notReproduced: number;
  /** fast-check's report (seed, path, shrunk counterexample, reason) when the property failed. */
  failure?: string;
}

/**
 * Fuzzes one API with fast-check (`numRuns` from the profile, the profile's seed): the property is
 * that every answer keeps problemAnswerViolation. A failure is shrunk to the smallest request that
 * still breaks it, and reported with the seed and path that replay it.
 */
export async function fuzzApi(system: SystemUnderTest, api: HttpApi, profile: BadInputProfile): Promise<ApiFuzzResult> {
  const result: ApiFuzzResult = { api: apiName(api), requests: 0, statuses: new Map(), notReproduced: 0 };
  const property = fc.asyncProperty(fuzzedRequest(api), async (request) => {
    let answer = await send(system, api, request);
    if (answer.status >= 500) {
      // A 5xx is charged to the input only if it reproduces once the service is ready again: while
      // its database or Kafka is down (another run's kill), any request may fail, valid or not.
      await system.readyAgain(api.service, READY_AGAIN_WAIT_MS);
      const replay = await send(system, api, request);
      if (replay.status < 500) {
        result.notReproduced += 1;
        answer = replay;
      }
    }
    result.requests += 1;
    result.statuses.set(answer.status, (result.statuses.get(answer.status) ?? 0) + 1);
    const violation = problemAnswerViolation(answer);
    if (violation !== undefined) throw new Error(`${request.shape}: ${violation}`);
  });
  const details = await fc.check(property, { numRuns: profile.bodiesPerApi, seed: profile.seed, endOnFailure: false });
  if (details.failed) result.failure = fc.defaultReportMessage(details)?.slice(0, COUNTEREXAMPLE_CHARS) ?? 'failed without a report';
  if (api.resetAfter) {
    await fetch(system.url(api.service, api.resetAfter.path), { method: api.resetAfter.method });
  }
  return result;
}

/** Fuzzes every API, `concurrentApis` at a time; those that switch shared state (resetAfter) last and alone. */
export async function fuzzApis(system: SystemUnderTest, apis: readonly HttpApi[], profile: BadInputProfile, narrate: Narrate): Promise<ApiFuzzResult[]> {
  const results: ApiFuzzResult[] = [];
  const report = (result: ApiFuzzResult) => {
    results.push(result);
    const outage = result.notReproduced > 0 ? ` (${result.notReproduced} 5xx did not reproduce once ready again)` : '';
    narrate(`${result.api}: ${result.requests} requests, ${histogram(result.statuses)}${outage}${result.failure ? ' — PROPERTY FAILED' : ''}`);
  };
  const shared = apis.filter((api) => !api.resetAfter);
  let next = 0;
  const worker = async () => {
    for (let api = shared[next++]; api; api = shared[next++]) report(await fuzzApi(system, api, profile));
  };
  await Promise.all(Array.from({ length: profile.concurrentApis }, worker));
  for (const api of apis.filter((candidate) => candidate.resetAfter)) report(await fuzzApi(system, api, profile));
  return results;
}

export function histogram(statuses: Map<number, number>): string {
  return [...statuses.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');
}

async function send(system: SystemUnderTest, api: HttpApi, request: FuzzedRequest): Promise<Answer> {
  const headers = new Headers(request.headers);
  const token = await tokenFor(system, api);
  if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
  // A string body makes fetch add `text/plain`; bytes let "no content type at all" be sent as such.
  const body = request.body === undefined ? undefined : headers.has('content-type') ? request.body : Buffer.from(request.body);
  try {
    const response = await fetch(system.url(api.service, request.path), {
      method: api.method,
      headers,
      body,
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
    });
    return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
  } catch (error) {
    // No answer at all (connection reset, timeout) is recorded as 599, which the property refuses as a 5xx.
    return { status: 599, contentType: null, body: `no answer: ${describe(error)}` };
  }
}

function tokenFor(system: SystemUnderTest, api: HttpApi): Promise<string | undefined> {
  switch (api.credential) {
    case 'public':
      return Promise.resolve(undefined);
    case 'user':
      return system.userToken(FUZZ_CUSTOMER_ID);
    case 'billing-service':
      return system.serviceToken('orders', 'billing');
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.name}: ${error.message}${cause}`;
}

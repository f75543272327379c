import fc from 'fast-check';
import type { Narrate } from '../chaos-report.js';
import { OutageLog, describeOutage, outageOverlapping, type Outage } from '../outage-log.js';
import type { BadInputProfile } from './bad-input-profile.js';
import { fuzzedRequest, type FuzzedRequest } from './fuzzed-request.js';
import { FUZZ_CUSTOMER_ID, apiName, type HttpApi } from './http-apis.js';
import { problemAnswerViolation, type Answer } from './problem-answer.js';
import type { BadInputSystem } from './test-issuer-tokens.js';

/** A request with no answer within this long counts as a failure: a hung handler is as bad as a 500. */
const ANSWER_TIMEOUT_MS = 15_000;
/** Counterexamples can hold 400 kB bodies: the report keeps their start. */
const COUNTEREXAMPLE_CHARS = 1_500;
/** How long a service that answered 5xx may take to be ready again before its request is replayed. */
const READY_AGAIN_WAIT_MS = 60_000;
/**
 * How far an outage in the log may be from a request and still excuse its 5xx: a service notices
 * the broker or the primary gone only when a connection fails, and its pool reconnects a few
 * seconds after the component is healthy again.
 */
const OUTAGE_MARGIN_MS = 10_000;

/** A 5xx that a dependency outage in the outage log excuses: it does not fail the run, and the report says why. */
export interface ExcusedServerError {
  api: string;
  status: number;
  /** When the request was sent (ISO-8601 UTC). */
  sentAt: string;
  /** The outage that overlaps the request's time window. */
  outage: Outage;
  /** The same request once the service was ready again: for the reader, it excuses nothing. */
  replayStatus: number;
}

export interface ApiFuzzResult {
  api: string;
  /** Requests sent, shrinking included (replays of a 5xx not counted). */
  requests: number;
  /** The status of each request's first answer. */
  statuses: Map<number, number>;
  /** 5xx answers given during a dependency outage the outage log records; every other 5xx fails the property. */
  excused: ExcusedServerError[];
  /** fast-check's report (seed, path, shrunk counterexample, reason) when the property failed. */
  failure?: string;
}

/** An answer and the window it was given in (epoch ms), to be laid against the outage log. */
interface TimedAnswer extends Answer {
  sentAt: number;
  answeredAt: number;
}

/**
 * Fuzzes one API with fast-check (`numRuns` from the profile, the profile's seed): the property is
 * that every answer keeps problemAnswerViolation. A failure is shrunk to the smallest request that
 * still breaks it, and reported with the seed and path that replay it.
 *
 * A 5xx breaks the property unless the outage log (OutageLog) records a dependency outage
 * overlapping the request (OUTAGE_MARGIN_MS either side): a service whose database or broker is
 * being killed may fail any request, valid or not. The request is replayed once the service is
 * ready again and the replay's status reported, but a replay that succeeds excuses nothing: a
 * 5xx that comes and goes is still a 5xx a client saw.
 */
export async function fuzzApi(system: BadInputSystem, api: HttpApi, profile: BadInputProfile, outages: OutageLog = new OutageLog()): Promise<ApiFuzzResult> {
  const result: ApiFuzzResult = { api: apiName(api), requests: 0, statuses: new Map(), excused: [] };
  const property = fc.asyncProperty(fuzzedRequest(api), async (request) => {
    const answer = await send(system, api, request);
    result.requests += 1;
    result.statuses.set(answer.status, (result.statuses.get(answer.status) ?? 0) + 1);
    if (answer.status >= 500) {
      const outage = outageOverlapping(outages.read(), { from: answer.sentAt, to: answer.answeredAt }, OUTAGE_MARGIN_MS);
      await system.readyAgain(api.service, READY_AGAIN_WAIT_MS);
      const replay = await send(system, api, request);
      if (outage !== undefined) {
        result.excused.push({ api: result.api, status: answer.status, sentAt: new Date(answer.sentAt).toISOString(), outage, replayStatus: replay.status });
        return;
      }
      throw new Error(`${request.shape}: answered ${answer.status} with no dependency outage recorded around it (replayed once ready: ${replay.status}): ${answer.body.slice(0, 300)}`);
    }
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

/** "POST /orders 503 at 12:00:01.200 during kafka 11:59:58–12:00:20 UTC (kill -9 …); replayed: 201", for the report. */
export function describeExcused(excused: ExcusedServerError): string {
  return `${excused.api} ${excused.status} at ${excused.sentAt.slice(11, 23)} during ${describeOutage(excused.outage)}; replayed once ready: ${excused.replayStatus}`;
}

/** Fuzzes every API, `concurrentApis` at a time; those that switch shared state (resetAfter) last and alone. */
export async function fuzzApis(system: BadInputSystem, apis: readonly HttpApi[], profile: BadInputProfile, narrate: Narrate): Promise<ApiFuzzResult[]> {
  const results: ApiFuzzResult[] = [];
  const report = (result: ApiFuzzResult) => {
    results.push(result);
    const outage = result.excused.length > 0 ? ` (${result.excused.length} 5xx during a recorded dependency outage)` : '';
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

async function send(system: BadInputSystem, api: HttpApi, request: FuzzedRequest): Promise<TimedAnswer> {
  const headers = new Headers(request.headers);
  const token = await tokenFor(system, api);
  if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
  // A string body makes fetch add `text/plain`; bytes let "no content type at all" be sent as such.
  const body = request.body === undefined ? undefined : headers.has('content-type') ? request.body : Buffer.from(request.body);
  const sentAt = Date.now();
  try {
    const response = await fetch(system.url(api.service, request.path), {
      method: api.method,
      headers,
      body,
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
    });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type'), body: text, sentAt, answeredAt: Date.now() };
  } catch (error) {
    // No answer at all (connection reset, timeout) is recorded as 599, which the property refuses as a 5xx.
    return { status: 599, contentType: null, body: `no answer: ${describe(error)}`, sentAt, answeredAt: Date.now() };
  }
}

function tokenFor(system: BadInputSystem, api: HttpApi): Promise<string | undefined> {
  switch (api.credential) {
    case 'public':
      return Promise.resolve(undefined);
    case 'user':
      return system.tokens.userToken(FUZZ_CUSTOMER_ID);
    case 'operator':
      return system.tokens.operatorToken();
    case 'billing-service':
      return system.tokens.serviceToken('orders', 'billing');
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.name}: ${error.message}${cause}`;
}

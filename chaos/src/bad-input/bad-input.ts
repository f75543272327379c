import { randomUUID } from 'node:crypto';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { ORDER_EVENTS_TOPIC } from '@faultline/shared/contracts';
import { KafkaClient } from '@faultline/shared/messaging';
import { createServiceLogger } from '@faultline/shared/observability';
import { eventually } from '@faultline/shared/testing';
import type { ChaosReport, InvariantCheck, Narrate } from '../chaos-report.js';
import { replayCommand, type BadInputProfile } from './bad-input-profile.js';
import { MARKER_HEADER, badEvents, validPlaced } from './bad-events.js';
import { DeadLetterAuditor, ORDER_EVENT_CONSUMERS } from './dead-letter-audit.js';
import { FUZZ_CUSTOMER_ID, HTTP_APIS } from './http-apis.js';
import { describeExcused, fuzzApis, histogram } from './http-fuzz.js';
import { awaitInboxRow } from './inbox-row.js';
import { SystemUnderTest } from './system-under-test.js';
import { TestIssuerTokens, type BadInputSystem } from './test-issuer-tokens.js';
import { attackProtectedRoutes } from './token-attacks.js';

/**
 * How long after the last bad event its dead letters may take: the ordering guard holds a gap for
 * 30 s (EVENT_CONSUMER_DEFAULTS.holdBoundMs), its sweep runs every 5 s, and a consumer may first
 * have to read through what other runs left on the topic.
 */
const DEAD_LETTER_WAIT_MS = 90_000;
/**
 * However long the fuzz took, the dead letters get this much longer after it: a consumer still
 * catching up (the full profile's valid orders, another run's load) reads a gap late, and the gap
 * then needs its 30 s hold bound. Returns as soon as every dead letter is in.
 */
const DEAD_LETTER_GRACE_MS = 45_000;
/** A valid event published after the bad ones is applied by every consumer within this long. */
const APPLIED_WAIT_MS = 60_000;
/** Failures listed in an invariant's detail; the rest are counted. */
const LISTED_FAILURES = 5;

/**
 * Feeds the running services bad input and checks they neither fail nor lose it. HTTP: fast-check
 * fuzzing of every API (never a 5xx outside a recorded dependency outage, every rejection a
 * problem+json 4xx) and every token attack on every protected route (always 401). Kafka: malformed
 * and unknown-version events on the order events topic and the consumers' own topics (no consumer
 * crash, each one dead-lettered once by each consumer that reads it, with its context).
 */
export async function runBadInput(profile: BadInputProfile, narrate: Narrate): Promise<ChaosReport> {
  narrate(`seed ${profile.seed} (replay: ${replayCommand(profile)}); ${profile.bodiesPerApi} requests per API, ${profile.badEvents} bad events`);
  const runId = `bad-input-${randomUUID()}`;
  const env = readFaultlineEnvironment();
  const kafka = new KafkaClient({ brokers: [`127.0.0.1:${env.KAFKA_PORT ?? ''}`] }, runId, createServiceLogger({ name: 'chaos', version: '0.1.0' }, 'error'));
  const system = await SystemUnderTest.start(narrate, TestIssuerTokens.start);
  try {
    const auditor = await DeadLetterAuditor.start(kafka, runId);
    const events = badEvents(profile.badEvents, profile.seed);
    const published = await auditor.publish(events);
    const eventsDone = performance.now();
    const validOrderId = randomUUID();
    const valid = validPlaced(validOrderId);
    await kafka.createOrderedProducer().send(ORDER_EVENTS_TOPIC, [
      { key: validOrderId, value: JSON.stringify(valid), headers: { [MARKER_HEADER]: `${runId}/valid` } },
    ]);
    narrate(`published ${published.length} bad events (${counted(published.map((event) => event.kind))}), then one valid orders.order.placed`);
    narrate(`to topics: ${counted(published.map((event) => event.topic))}`);

    const started = performance.now();
    const fuzzed = await fuzzApis(system, HTTP_APIS, profile, narrate);
    narrate(`fuzzed ${fuzzed.length} APIs in ${((performance.now() - started) / 1_000).toFixed(1)} s`);
    const attacks = await attackProtectedRoutes(system, HTTP_APIS, profile.seed);
    narrate(`token attacks: ${attacks.requests} requests, ${histogram(attacks.statuses)}`);

    await auditor.awaitDeadLetters(published, Math.max(DEAD_LETTER_GRACE_MS, eventsDone + DEAD_LETTER_WAIT_MS - performance.now()));
    const audit = auditor.audit(published);
    const applied = await validEventApplied(system, validOrderId, valid.eventId);
    const ready = await system.allReady();

    const statuses = new Map<number, number>();
    for (const result of fuzzed) for (const [status, count] of result.statuses) statuses.set(status, (statuses.get(status) ?? 0) + count);
    const requests = fuzzed.reduce((sum, result) => sum + result.requests, 0);
    const serverErrors = [...statuses].filter(([status]) => status >= 500).reduce((sum, [, count]) => sum + count, 0);
    const excused = fuzzed.flatMap((result) => result.excused);
    const failedApis = fuzzed.filter((result) => result.failure !== undefined);
    const expected = ORDER_EVENT_CONSUMERS.reduce((sum, consumer) => sum + audit.expected[consumer], 0);
    const matched = ORDER_EVENT_CONSUMERS.reduce((sum, consumer) => sum + audit.matched[consumer], 0);

    const invariants: InvariantCheck[] = [
      {
        name: 'no HTTP API answers a 5xx to any input, except during a dependency outage the outage log records',
        holds: serverErrors === excused.length,
        detail:
          `${serverErrors} of ${requests} requests answered 5xx, ${excused.length} of them during a recorded outage; statuses ${histogram(statuses)}` +
          listed(excused.map((error) => `excused: ${describeExcused(error)}`)),
      },
      {
        name: 'every API rejects bad input with a 4xx application/problem+json whose status matches',
        holds: failedApis.length === 0,
        detail:
          failedApis.length === 0
            ? `${fuzzed.length} APIs × ${profile.bodiesPerApi} runs held the property (seed ${profile.seed})`
            : `${failedApis.length} of ${fuzzed.length} APIs failed:\n${failedApis.map((result) => `    ${result.api}: ${result.failure ?? ''}`).join('\n')}`,
      },
      {
        name: 'every protected route answers 401 problem+json to a missing, forged, expired or misdirected token',
        holds: attacks.failures.length === 0,
        detail: `${attacks.requests - attacks.failures.length} of ${attacks.requests} attacks refused with 401${listed(attacks.failures)}`,
      },
      {
        name: 'every bad event is dead-lettered exactly once by each consumer of its topic, with its source offset, reason and event id',
        holds: matched === expected && audit.duplicates === 0,
        detail: `${matched} of ${expected} matched (${ORDER_EVENT_CONSUMERS.map((c) => `${c} ${audit.matched[c]} of ${audit.expected[c]}`).join(', ')}); ${audit.duplicates} duplicate dead letters${listed(audit.problems)}`,
      },
      {
        name: 'no consumer crashed: every service stays ready and a valid event after the bad ones is applied',
        holds: ready.ready && applied.billing && applied.notifications && applied.sagaStarter,
        detail: `${ready.detail}; valid order ${validOrderId} applied by billing: ${applied.billing}, notifications: ${applied.notifications}, the saga's starter: ${applied.sagaStarter}`,
      },
    ];
    return {
      title: `bad-input (${profile.name} profile, seed ${profile.seed})`,
      invariants,
      replay: replayCommand(profile),
      counts: {
        'http requests': requests,
        'http 5xx': serverErrors,
        'http 5xx excused by a recorded outage': excused.length,
        ...Object.fromEntries([...statuses].sort(([a], [b]) => a - b).map(([status, count]) => [`http ${status}`, count])),
        ...Object.fromEntries(fuzzed.map((result) => [`requests ${result.api}`, result.requests])),
        'token attacks': attacks.requests,
        'events published': published.length,
        ...Object.fromEntries(ORDER_EVENT_CONSUMERS.map((consumer) => [`dead-lettered ${consumer}`, audit.matched[consumer]])),
        ...Object.fromEntries(ORDER_EVENT_CONSUMERS.map((consumer) => [`to dead-letter ${consumer}`, audit.expected[consumer]])),
        'dead letters matched': matched,
        'duplicate dead letters': audit.duplicates,
        'dead letters expected': expected,
      },
    };
  } finally {
    await system.stop();
    await kafka.disconnect();
  }
}

async function validEventApplied(system: BadInputSystem, orderId: string, eventId: string): Promise<{ billing: boolean; notifications: boolean; sagaStarter: boolean }> {
  const token = await system.tokens.userToken(FUZZ_CUSTOMER_ID);
  const headers = { authorization: `Bearer ${token}` };
  const appliedBy = (probe: () => Promise<boolean>) =>
    eventually(async () => ((await probe()) ? true : undefined), { timeoutMs: APPLIED_WAIT_MS, intervalMs: 250, what: 'valid event applied' }).catch(() => false);
  const [billing, notifications, sagaStarter] = await Promise.all([
    appliedBy(async () => (await fetch(system.url('billing', `/orders/${orderId}`), { headers })).status === 200),
    appliedBy(async () => {
      const response = await fetch(system.url('notifications', `/customers/${FUZZ_CUSTOMER_ID}/notifications?orderId=${orderId}`), { headers });
      return response.status === 200 && ((await response.json()) as { items: unknown[] }).items.length > 0;
    }),
    // The starter has no API that shows what it applied (it starts no workflow in this run): its inbox row does.
    awaitInboxRow('orders', 'orders-fulfilment', eventId, APPLIED_WAIT_MS).catch(() => false),
  ]);
  return { billing, notifications, sagaStarter };
}

function counted(values: string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([value, count]) => `${value} ${count}`).join(', ');
}

function listed(failures: string[]): string {
  if (failures.length === 0) return '';
  const more = failures.length > LISTED_FAILURES ? `\n    … and ${failures.length - LISTED_FAILURES} more` : '';
  return `\n${failures
    .slice(0, LISTED_FAILURES)
    .map((failure) => `    ${failure}`)
    .join('\n')}${more}`;
}

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { requireReachable } from '@faultline/shared/testing';
import { runScenario } from '../run-scenario.js';
import { partialFailureScenario } from './partial-failure.scenario.js';

const env = readFaultlineEnvironment();

// End to end on the real system: orders (with its OrderFulfilment worker), billing and the payment
// provider run as processes (node apps/<app>/dist/main.js) against the real PostgreSQL, Kafka and
// Temporal dev server, in each mode (article 6).
describe('partial-failure scenario', () => {
  before(async () => {
    await requireReachable('PostgreSQL (through Toxiproxy)', Number(env.TOXIPROXY_ORDERS_PG_PORT));
    await requireReachable('PostgreSQL for billing (through Toxiproxy)', Number(env.TOXIPROXY_BILLING_PG_PORT));
    await requireReachable('PostgreSQL primary (the payment provider)', Number(env.PG_PRIMARY_PORT));
    await requireReachable('Kafka (through Toxiproxy)', Number(env.TOXIPROXY_KAFKA_PORT));
    await requireReachable('Temporal dev server', Number(env.TEMPORAL_PORT));
  });

  it('in naive mode, charges the customer twice when the provider drops its answer after committing', async () => {
    const lines: string[] = [];
    const outcome = await runScenario(partialFailureScenario, 'naive', (line) => lines.push(line));
    assert.equal(outcome.showedWhatItPromised, true, lines.join('\n'));
    assert.ok(Number(outcome.measurements.providerAuthorizationsForOrder) >= 2, lines.join('\n'));
    assert.ok(Number(outcome.measurements.providerDropResponsesApplied) >= 1, lines.join('\n'));
    assert.equal(outcome.measurements.providerMostAuthorizeRequestsForOneKey, 0, 'naive billing sends no Idempotency-Key');
  });

  it('in correct mode, ends the order paid with exactly one authorization although its retry reached the provider, and one charge for two concurrent requests with one key', async () => {
    const lines: string[] = [];
    const outcome = await runScenario(partialFailureScenario, 'correct', (line) => lines.push(line));
    const { measurements } = outcome;
    assert.equal(outcome.showedWhatItPromised, true, lines.join('\n'));
    // The answer was really lost, and billing really sent the authorization again with the same key:
    // without both, one authorization would prove nothing.
    assert.ok(Number(measurements.providerDropResponsesApplied) >= 1, lines.join('\n'));
    assert.ok(Number(measurements.providerMostAuthorizeRequestsForOneKey) >= 2, lines.join('\n'));
    assert.equal(measurements.providerRetriedKeyChargedTheOrder, true);
    assert.equal(measurements.orderStatus, 'paid');
    assert.equal(measurements.providerAuthorizationsForOrder, 1);
    assert.equal(measurements.providerCapturedForOrder, 1);
    assert.equal(measurements.providerAuthorizationsForConcurrentSameKey, 1);
  });
});

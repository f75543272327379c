import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { requireReachable } from '@faultline/shared/testing';
import { runScenario } from '../run-scenario.js';
import { clockSkewScenario } from './clock-skew.scenario.js';

const env = readFaultlineEnvironment();

// End to end on the real system: the identity provider (the issuer), billing and orders (the peer
// billing's skew monitor probes) run as processes with tokens enforced, billing's clock moved at run
// time, in each mode (article 2).
describe('clock-skew scenario', () => {
  before(async () => {
    await requireReachable('PostgreSQL for orders (through Toxiproxy)', Number(env.TOXIPROXY_ORDERS_PG_PORT));
    await requireReachable('PostgreSQL for billing (through Toxiproxy)', Number(env.TOXIPROXY_BILLING_PG_PORT));
    await requireReachable('Kafka (through Toxiproxy)', Number(env.TOXIPROXY_KAFKA_PORT));
    await requireReachable('PostgreSQL primary (the identity provider connects directly)', Number(env.PG_PRIMARY_PORT));
  });

  it('in naive mode, refuses a fresh token when billing is only 2 s behind, naming iat, while /ready stays green, and serves one 2 h ahead', async () => {
    const lines: string[] = [];
    const outcome = await runScenario(clockSkewScenario, 'naive', (line) => lines.push(line));
    const { measurements } = outcome;
    assert.equal(outcome.showedWhatItPromised, true, lines.join('\n'));
    assert.equal(measurements.rejectedAtTwoSeconds, true);
    // The identity provider's tokens carry no nbf: billing's maxTokenAge check names iat.
    assert.equal(measurements.rejectedClaimAtTwoSeconds, 'iat');
    assert.equal(measurements.acceptedTwoHoursAhead, true);
    // Served, not merely past the guard: the unknown customer's 404, not a 500 or a 503.
    assert.equal(measurements.answerTwoHoursAhead, 404);
    // Nothing warns: the skew monitor's 15 s threshold does not see 2 s.
    assert.equal(measurements.readinessWhileRefusing, 200);
    // The identity provider's side of the pitfall: 24 h tokens.
    assert.equal(measurements.tokenLifetimeSeconds, 24 * 3_600);
  });

  it('in correct mode, serves 29 s, refuses 31 s naming iat and an expired token naming exp, turns /ready red at 16 s and green again once fixed, refuses every forgery', async () => {
    const lines: string[] = [];
    const outcome = await runScenario(clockSkewScenario, 'correct', (line) => lines.push(line));
    const { measurements } = outcome;
    assert.equal(outcome.showedWhatItPromised, true, lines.join('\n'));
    assert.equal(measurements.acceptedAt29s, true);
    assert.equal(measurements.answerAt29s, 404);
    assert.equal(measurements.rejectedAt31s, true);
    assert.equal(measurements.rejectedClaimAt31s, 'iat');
    assert.equal(measurements.expiredRejectedClaim, 'exp');
    assert.equal(measurements.readinessRedAt16s, true);
    assert.equal(measurements.readinessGreenAgain, true);
    // Refusals that count: the genuine service token the forgeries are made from is served.
    assert.equal(measurements.genuineServiceTokenServed, true);
    assert.equal(measurements.forgeriesRefused, '5/5');
    assert.equal(measurements.tokenLifetimeSeconds, 600);
  });
});

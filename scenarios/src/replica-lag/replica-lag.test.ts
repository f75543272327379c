import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { requireReachable } from '@faultline/shared/testing';
import { runScenario } from '../run-scenario.js';
import { CYCLES, replicaLagScenario } from './replica-lag.scenario.js';

const env = readFaultlineEnvironment();

// End to end on the real streaming replica: billing runs as a process (node apps/billing/dist/main.js),
// replay is paused with the superuser and resumed by the scenario itself, in each mode (article 7).
// Naive mode reproduces every time: replay is confirmed paused before the first write, so the
// replica cannot hold any of the 100 new names.
describe('replica-lag scenario', () => {
  before(async () => {
    await requireReachable('PostgreSQL for billing (through Toxiproxy)', Number(env.TOXIPROXY_BILLING_PG_PORT));
    await requireReachable('the PostgreSQL replica for billing (through Toxiproxy)', Number(env.TOXIPROXY_BILLING_PG_REPLICA_PORT));
    await requireReachable('the PostgreSQL replica (direct, to pause replay)', Number(env.PG_REPLICA_PORT));
    await requireReachable('Kafka (through Toxiproxy)', Number(env.TOXIPROXY_KAFKA_PORT));
  });

  it('in naive mode, reads stale profiles from the paused replica right after writing them', async () => {
    const lines: string[] = [];
    const outcome = await runScenario(replicaLagScenario, 'naive', (line) => lines.push(line));
    const { measurements } = outcome;
    assert.equal(outcome.showedWhatItPromised, true, lines.join('\n'));
    assert.equal(measurements.cycles, CYCLES);
    assert.ok(Number(measurements.staleReads) > 0, lines.join('\n'));
    assert.equal(measurements.readsServedByReplica, CYCLES);
  });

  it('in correct mode, answers every token-carrying read fresh from the primary while paused, then from the replica again', async () => {
    const lines: string[] = [];
    const outcome = await runScenario(replicaLagScenario, 'correct', (line) => lines.push(line));
    const { measurements } = outcome;
    assert.equal(outcome.showedWhatItPromised, true, lines.join('\n'));
    assert.equal(measurements.staleReads, 0);
    assert.equal(measurements.readsServedByPrimary, CYCLES);
    assert.ok(Number(measurements.replicaLagSecondsWhilePaused) > Number(measurements.lagAlertThresholdSeconds), lines.join('\n'));
    assert.equal(measurements.servedByReplicaAfterResume, true);
  });
});

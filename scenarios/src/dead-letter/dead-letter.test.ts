import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { DEAD_LETTER_HEADERS } from '@faultline/shared/dead-letter';
import { requireReachable } from '@faultline/shared/testing';
import { runScenario } from '../run-scenario.js';
import { deadLetterScenario } from './dead-letter.scenario.js';

const env = readFaultlineEnvironment();

// End to end on the real system: billing runs as a process (node apps/billing/dist/main.js) against
// the real PostgreSQL and Kafka, its database cut through Toxiproxy, in each mode (article 3).
describe('dead-letter scenario', () => {
  before(async () => {
    await requireReachable('Toxiproxy', Number(env.TOXIPROXY_PORT));
    await requireReachable('PostgreSQL for billing (through Toxiproxy)', Number(env.TOXIPROXY_BILLING_PG_PORT));
    await requireReachable('PostgreSQL primary', Number(env.PG_PRIMARY_PORT));
    await requireReachable('Kafka', Number(env.KAFKA_PORT));
  });

  it('in naive mode, skips the poison record and both outage records: billing commits past each, with no dead letter and no copy of the orders', async () => {
    const lines: string[] = [];
    const outcome = await runScenario(deadLetterScenario, 'naive', (line) => lines.push(line));
    const { measurements } = outcome;
    assert.equal(outcome.showedWhatItPromised, true, lines.join('\n'));
    assert.equal(measurements.poisonSkipped, true);
    assert.equal(measurements.poisonDeadLettered, false);
    assert.equal(measurements.shortOutageSkipped, true);
    assert.equal(measurements.shortOutageApplied, false);
    assert.equal(measurements.longOutageSkipped, true);
    assert.equal(measurements.longOutageDeadLettered, false);
    assert.equal(measurements.failuresLostWithoutTrace, 3);
  });

  it('in correct mode, dead-letters the poison with its context and goes on, rides out the short outage, redrives the long one, and recognises a second redrive as a duplicate', async () => {
    const lines: string[] = [];
    const outcome = await runScenario(deadLetterScenario, 'correct', (line) => lines.push(line));
    const { measurements } = outcome;
    assert.equal(outcome.showedWhatItPromised, true, lines.join('\n'));
    assert.equal(measurements.poisonDeadLettered, true);
    assert.equal(measurements.poisonContextHeaders, Object.keys(DEAD_LETTER_HEADERS).length);
    // The partition goes on past the poison: the next offset, order P, is applied.
    assert.equal(measurements.nextOffsetApplied, true);
    assert.equal(measurements.shortOutageApplied, true);
    assert.equal(measurements.shortOutageDeadLetters, 0);
    assert.equal(measurements.longOutageDeadLettered, true);
    assert.equal(measurements.longOutageApplied, true);
    // Delivered again, L's event reaches billing's inbox, which counts it as a duplicate and applies nothing.
    assert.equal(measurements.redeliveryConsumed, true);
    assert.ok(Number(measurements.redeliveryDuplicatesCounted) >= 1, lines.join('\n'));
    assert.equal(measurements.redeliveryLeftCopyUnchanged, true);
    assert.equal(measurements.failuresLostWithoutTrace, 0);
  });
});

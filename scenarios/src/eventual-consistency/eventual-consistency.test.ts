import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { requireReachable } from '@faultline/shared/testing';
import { runScenario } from '../run-scenario.js';
import { CYCLE_COUNT, eventualConsistencyScenario } from './eventual-consistency.scenario.js';

const env = readFaultlineEnvironment();

// End to end on the real system: orders runs as a process (node apps/orders/dist/main.js) against
// the real PostgreSQL, its read models held 2 s behind, in each mode (article 5). Why naive mode
// reproduces every time: each read follows its write within milliseconds, so it reaches a
// projection 2 s behind it — every naive read is stale, not just some.
describe('eventual-consistency scenario', () => {
  before(async () => {
    await requireReachable('PostgreSQL (through Toxiproxy)', Number(env.TOXIPROXY_ORDERS_PG_PORT));
    await requireReachable('Kafka (through Toxiproxy)', Number(env.TOXIPROXY_KAFKA_PORT));
  });

  it("in naive mode, reads without a token show data older than the caller's own write, says how many, and a duplicate order follows", async () => {
    const lines: string[] = [];
    const outcome = await runScenario(eventualConsistencyScenario, 'naive', (line) => lines.push(line));
    const { measurements } = outcome;
    assert.equal(outcome.showedWhatItPromised, true, lines.join('\n'));
    assert.equal(measurements.cycles, CYCLE_COUNT);
    assert.ok(Number(measurements.staleReads) > 0, lines.join('\n'));
    assert.equal(measurements.readsFromEventStream, 0);
    assert.equal(measurements.duplicatePostSameOrderId, true);
    assert.equal(measurements.ordersForDuplicateKey, 1);
    assert.equal(measurements.ordersAfterPlacingAgainIfMissing, 2, 'the client that found nothing placed a second order');
    assert.match(lines.join('\n'), /stale reads \(older than the caller's own write\): [1-9]\d* of 100/);
  });

  it('in correct mode, never answers a read with the write’s token with an older version, and a duplicate POST makes one order', async (t) => {
    const lines: string[] = [];
    const outcome = await runScenario(eventualConsistencyScenario, 'correct', (line) => lines.push(line));
    const { measurements } = outcome;
    assert.equal(outcome.showedWhatItPromised, true, lines.join('\n'));
    assert.equal(measurements.cycles, CYCLE_COUNT);
    assert.equal(measurements.staleReads, 0, lines.join('\n'));
    assert.ok(Number(measurements.readsFromEventStream) > 0, 'the projection was behind, so reads fell back to the event stream');
    assert.equal(measurements.duplicatePostSameOrderId, true);
    assert.equal(measurements.ordersForDuplicateKey, 1);
    assert.equal(measurements.ordersAfterPlacingAgainIfMissing, 1);
    t.diagnostic(`the run took ${measurements.durationSeconds} s`);
  });
});

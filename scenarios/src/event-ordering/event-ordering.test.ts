import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { requireReachable } from '@faultline/shared/testing';
import { runScenario } from '../run-scenario.js';
import { ORDER_COUNT, eventOrderingScenario } from './event-ordering.scenario.js';

const env = readFaultlineEnvironment();

// End to end on the real system: orders and billing run as processes (node apps/<app>/dist/main.js)
// against the real PostgreSQL and Kafka, in each mode (article 4). Why naive mode reproduces every
// time: an order's two events go to random partitions among 3, so about one order in three has its
// "cancelled" read before its "placed"; with 40 orders the chance that none does is (2/3)^40 ≈ 1e-7.
describe('event-ordering scenario', () => {
  before(async () => {
    await requireReachable('PostgreSQL (through Toxiproxy)', Number(env.TOXIPROXY_ORDERS_PG_PORT));
    await requireReachable('PostgreSQL for billing (through Toxiproxy)', Number(env.TOXIPROXY_BILLING_PG_PORT));
    await requireReachable('Kafka (through Toxiproxy)', Number(env.TOXIPROXY_KAFKA_PORT));
    await requireReachable('Kafka', Number(env.KAFKA_PORT));
  });

  it('in naive mode, leaves some cancelled orders "placed" in billing, their cancellations dead-lettered', async () => {
    const lines: string[] = [];
    const outcome = await runScenario(eventOrderingScenario, 'naive', (line) => lines.push(line));
    const { measurements } = outcome;
    assert.equal(outcome.showedWhatItPromised, true, lines.join('\n'));
    assert.equal(measurements.ordersPlacedAndCancelled, ORDER_COUNT);
    assert.ok(Number(measurements.ordersWrongInBilling) > 0, lines.join('\n'));
    assert.match(String(measurements.wrongStates), /^placed \d+$/);
    assert.equal(measurements.eventsDeadLetteredAsHandlerFailures, measurements.ordersWrongInBilling);
    assert.ok(Number(measurements.ordersSpreadOverPartitions) > 0);
  });

  it('in correct mode, keeps each order on one partition and ends with every order cancelled in billing', async () => {
    const lines: string[] = [];
    const outcome = await runScenario(eventOrderingScenario, 'correct', (line) => lines.push(line));
    const { measurements } = outcome;
    assert.equal(outcome.showedWhatItPromised, true, lines.join('\n'));
    assert.equal(measurements.ordersPlacedAndCancelled, ORDER_COUNT);
    assert.equal(measurements.ordersWrongInBilling, 0);
    assert.equal(measurements.ordersSpreadOverPartitions, 0);
    assert.equal(measurements.eventsDeadLetteredAsHandlerFailures, 0);
  });
});

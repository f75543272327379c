import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { requireReachable } from '@faultline/shared/testing';
import { scenarioEnvironment } from '../environment.js';
import { runScenario } from '../run-scenario.js';
import { sharedDatabaseScenario } from './shared-database.scenario.js';

// End to end on the real PostgreSQL: the scenario shows the failure in naive mode and the fix in
// correct mode (article 8).
describe('shared-database scenario', () => {
  before(() => requireReachable('PostgreSQL primary', scenarioEnvironment().PG_PRIMARY_PORT));

  it("in naive mode, shows billing's column rename breaking orders' report with an undefined-column error", async () => {
    const lines: string[] = [];
    const outcome = await runScenario(sharedDatabaseScenario, 'naive', (line) => lines.push(line));
    assert.equal(outcome.showedWhatItPromised, true, lines.join('\n'));
    assert.equal(outcome.measurements.ordersReportRowsBeforeMigration, 1);
    assert.match(String(outcome.measurements.ordersReportErrorAfterMigration), /^42703 column c\.display_name does not exist/);
  });

  it("in correct mode, shows orders' role refused by billing's database and orders' schema untouched by billing's migration", async () => {
    const lines: string[] = [];
    const outcome = await runScenario(sharedDatabaseScenario, 'correct', (line) => lines.push(line));
    assert.equal(outcome.showedWhatItPromised, true, lines.join('\n'));
    assert.match(String(outcome.measurements.ordersRoleOnBillingDatabase), /^42501 permission denied for database "?billing"?/);
    assert.equal(outcome.measurements.ordersSchemaUntouchedByBillingMigration, true);
  });
});

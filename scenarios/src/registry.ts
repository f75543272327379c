import type { Scenario } from './scenario.js';
import { circuitBreakerScenario } from './circuit-breaker/circuit-breaker.scenario.js';
import { clockSkewScenario } from './clock-skew/clock-skew.scenario.js';
import { deadLetterScenario } from './dead-letter/dead-letter.scenario.js';
import { eventOrderingScenario } from './event-ordering/event-ordering.scenario.js';
import { eventualConsistencyScenario } from './eventual-consistency/eventual-consistency.scenario.js';
import { partialFailureScenario } from './partial-failure/partial-failure.scenario.js';
import { replicaLagScenario } from './replica-lag/replica-lag.scenario.js';
import { sharedDatabaseScenario } from './shared-database/shared-database.scenario.js';
import { timeZonesScenario } from './time-zones/time-zones.scenario.js';

/** Every scenario, in article order. A new article's scenario is added here and nowhere else. */
export const scenarios: readonly Scenario[] = [circuitBreakerScenario, clockSkewScenario, deadLetterScenario, eventOrderingScenario, eventualConsistencyScenario, partialFailureScenario, sharedDatabaseScenario, replicaLagScenario, timeZonesScenario].sort((a, b) => a.article - b.article);

export function findScenario(name: string): Scenario | undefined {
  return scenarios.find((s) => s.name === name);
}

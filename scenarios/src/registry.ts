import type { Scenario } from './scenario.js';
import { eventOrderingScenario } from './event-ordering/event-ordering.scenario.js';
import { sharedDatabaseScenario } from './shared-database/shared-database.scenario.js';

/** Every scenario, in article order. A new article's scenario is added here and nowhere else. */
export const scenarios: readonly Scenario[] = [eventOrderingScenario, sharedDatabaseScenario].sort((a, b) => a.article - b.article);

export function findScenario(name: string): Scenario | undefined {
  return scenarios.find((s) => s.name === name);
}

import { requirePortFree } from '@faultline/shared/testing';
import { requireIdentityPortFree } from './identity.js';

/**
 * Fails before anything starts when something already listens where the scenario's processes
 * will: on each service's port (`services`: name → port), then on the identity provider's, which
 * every scenario with services starts first.
 */
export async function requireScenarioPortsFree(services: Record<string, number>): Promise<void> {
  for (const [service, port] of Object.entries(services)) await requirePortFree(service, port);
  await requireIdentityPortFree();
}

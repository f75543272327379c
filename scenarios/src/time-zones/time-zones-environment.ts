import { z } from 'zod';
import { loadConfig, port } from '@faultline/shared/config';

/** What the time-zones scenario needs beyond the shared scenario environment: Temporal. */
export function timeZonesEnvironment() {
  return loadConfig('scenarios', z.object({ TEMPORAL_PORT: port(), TEMPORAL_NAMESPACE: z.string().min(1) }));
}

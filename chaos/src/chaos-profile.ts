import { badInputFull, badInputShort } from './bad-input/index.js';
import type { ChaosReport, Narrate } from './chaos-report.js';
import type { ChaosPartName } from './command-line.js';
import { killAndRecoverFull, killAndRecoverShort } from './kill-and-recover/index.js';

export type ChaosProfileName = 'full' | 'short';

export interface ChaosPart {
  name: ChaosPartName;
  run(narrate: Narrate): Promise<ChaosReport>;
}

export interface ChaosProfile {
  parts: ChaosPart[];
}

/** Filled in as the parts land: `full` is `npm run chaos`, `short` the version inside `npm test`. */
export const chaosProfiles: Record<ChaosProfileName, ChaosProfile> = {
  full: { parts: [badInputFull, killAndRecoverFull] },
  short: { parts: [badInputShort, killAndRecoverShort] },
};

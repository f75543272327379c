import type { ChaosPart } from '../chaos-profile.js';
import { killAndRecover } from './kill-and-recover.js';
import { FULL_PROFILE, SHORT_PROFILE } from './kill-and-recover-profile.js';

export { killAndRecover } from './kill-and-recover.js';
export { FULL_PROFILE, SHORT_PROFILE, TERMINAL_WITHIN_MS, type KillAndRecoverProfile } from './kill-and-recover-profile.js';

/** `npm run chaos`: 1,000 orders through every kill target. */
export const killAndRecoverFull: ChaosPart = { name: 'kill-and-recover', run: killAndRecover(FULL_PROFILE) };

/** `npm run chaos -- --short` and the chaos project's test: 120 orders, every kill target once. */
export const killAndRecoverShort: ChaosPart = { name: 'kill-and-recover', run: killAndRecover(SHORT_PROFILE) };

import type { ChaosPart } from '../chaos-profile.js';
import { fullBadInputProfile, shortBadInputProfile } from './bad-input-profile.js';
import { runBadInput } from './bad-input.js';

/** `npm run chaos`: 10,000 requests per HTTP API, 1,000 bad events, every token attack. */
export const badInputFull: ChaosPart = { name: 'bad-input', run: (narrate) => runBadInput(fullBadInputProfile(), narrate) };

/** The short version inside `npm test`: a few hundred requests per API, ~100 bad events. */
export const badInputShort: ChaosPart = { name: 'bad-input', run: (narrate) => runBadInput(shortBadInputProfile(), narrate) };

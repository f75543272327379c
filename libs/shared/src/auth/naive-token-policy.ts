/**
 * WORKSHOP ONLY — article 2's failure, clock skew breaking tokens: zero clock tolerance and 24 h
 * tokens. A token's `iat`, `nbf` and `exp` are written by the issuer's clock and compared against
 * the verifier's; with zero tolerance a verifier a couple of seconds behind its issuer refuses fresh
 * tokens ("nbf in the future"), and with day-long tokens a verifier far behind keeps accepting
 * tokens that died hours ago. The 401 says "invalid token", so people hunt for a bug in the login
 * code while the cause is a clock. defineTokenPolicy takes this preset instead of the correct one
 * for the token policy mode `naive` (FAULTLINE_TOKEN_VALIDATION=naive; refused outside workshop mode).
 */
import type { TokenPolicyPreset } from './token-policy.js';

/** No bounds: the numbers are the pitfall. */
export const NAIVE_TOKEN_PRESET: TokenPolicyPreset = {
  clockToleranceSeconds: 0,
  lifetimeSeconds: 24 * 60 * 60,
  problems: () => [],
};

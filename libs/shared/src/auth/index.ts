export { BearerToken, BearerTokenGuard, INSUFFICIENT_SCOPE_PROBLEM, INVALID_TOKEN_PROBLEM } from './bearer-token.guard.js';
export { bearerChallenge, type BearerError } from './bearer-challenge.js';
export { DEFAULT_REMOTE_JWKS_SETTINGS, remoteJwks, type RemoteJwksSettings } from './remote-jwks.js';
export { RequiresToken } from './requires-token.decorator.js';
export { SigningKeyRing } from './signing-key-ring.js';
export { TokenIssuer, type TokenRequest } from './token-issuer.js';
export {
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_TOKEN_LIFETIME_SECONDS,
  TOKEN_ALGORITHM,
  defineTokenPolicy,
  type TokenPolicy,
  type TokenPolicySettings,
} from './token-policy.js';
export { TokenRejectedError, toTokenRejectedError, type TokenRejectionReason } from './token-rejected.error.js';
export { TOKEN_REQUIREMENT, type TokenRequirement } from './token-requirement.js';
export { TokenVerifier, type VerifiedToken } from './token-verifier.js';
export { PUBLIC_ROUTE } from './public-route.decorator.js';
export {
  USER_TOKEN_AUDIENCE,
  resolveServiceAuth,
  resourceIndicatorOf,
  trustedIssuer,
  serviceAuthEnvironment,
  type ServiceAuthOptions,
} from './service-auth.js';
export { TOKEN_GUARD_DEFAULTS, type TokenGuardDefaults } from './token-requirement.js';

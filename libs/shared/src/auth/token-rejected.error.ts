import { decodeProtectedHeader, errors, type JWTPayload } from 'jose';
import type { TokenPolicy } from './token-policy.js';

/**
 * Why a token was refused, in words a client and a dashboard can switch on. Each jose failure maps
 * to exactly one of these; `joseCode` keeps jose's own code beside it. (jose reports `alg: none` and
 * HS256 with the same code, but they are different attacks and deserve different names.)
 */
export type TokenRejectionReason =
  | 'missing' // no bearer token at all
  | 'malformed' // not a compact JWS / JWT
  | 'unsecured' // `alg: none`
  | 'algorithm-not-allowed' // e.g. HS256: the key-confusion attack
  | 'unknown-key' // no `kid`, or a `kid` the issuer does not (or no longer) publish
  | 'signature-invalid' // altered, or signed by someone else
  | 'not-yet-valid' // `nbf` beyond this server's clock + tolerance
  | 'issued-in-future' // `iat` beyond this server's clock + tolerance
  | 'expired' // `exp` before this server's clock − tolerance
  | 'too-old' // `iat` older than maxTokenAge + tolerance
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'claim-missing'
  | 'claim-invalid'
  | 'keys-unavailable'; // the issuer's JWKS could not be fetched: not the caller's fault

/** A token this service refuses, with the failing claim named and a message a person can act on. */
export class TokenRejectedError extends Error {
  constructor(
    readonly reason: TokenRejectionReason,
    message: string,
    /** The failing claim or header parameter: `nbf`, `iat`, `exp`, `iss`, `aud`, `alg`, `kid`… */
    readonly claim?: string,
    /** jose's error code (`ERR_JWT_EXPIRED`…), when jose raised it. */
    readonly joseCode?: string,
  ) {
    super(message);
    this.name = 'TokenRejectedError';
  }
}

/**
 * Turns whatever `jwtVerify` threw into a TokenRejectedError. The time messages give the distance
 * between the claim and this server's clock, because "token expired" alone sends people hunting
 * for a bug when the cause is a clock 31 s off (article 2).
 */
export function toTokenRejectedError(error: unknown, token: string, policy: TokenPolicy, now: Date): TokenRejectedError {
  if (error instanceof TokenRejectedError) return error;
  if (!(error instanceof errors.JOSEError)) {
    return new TokenRejectedError('malformed', `token is not a valid JWT: ${error instanceof Error ? error.message : String(error)}`);
  }
  const reject = (reason: TokenRejectionReason, message: string, claim?: string) =>
    new TokenRejectedError(reason, message, claim, error.code);
  const tolerance = `(tolerance ${policy.clockToleranceSeconds} s)`;
  const nowSeconds = Math.floor(now.getTime() / 1_000);
  const skewHint = 'check clock skew between the issuer and this service';

  if (error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired) {
    const { claim, reason: check, payload } = error;
    if (check === 'missing') return reject('claim-missing', `token lacks the required "${claim}" claim`, claim);
    if (check === 'invalid') return reject('claim-invalid', `token claim "${claim}" is not a valid value`, claim);
    const secondsFromNow = (name: 'nbf' | 'iat' | 'exp') => (typeof payload[name] === 'number' ? payload[name] : nowSeconds) - nowSeconds;
    switch (claim) {
      case 'nbf':
        return reject(
          'not-yet-valid',
          `token not yet valid: nbf is ${secondsFromNow('nbf')} s after this server's clock ${tolerance} — ${skewHint}`,
          claim,
        );
      case 'exp':
        return reject(
          'expired',
          `token expired: exp is ${-secondsFromNow('exp')} s before this server's clock ${tolerance} — ` +
            `request a new token; if it was just issued, ${skewHint}`,
          claim,
        );
      case 'iat':
        return error instanceof errors.JWTExpired
          ? reject(
              'too-old',
              `token too old: iat is ${-secondsFromNow('iat')} s before this server's clock, more than maxTokenAge ` +
                `${policy.maxTokenAgeSeconds} s ${tolerance} — request a new token`,
              claim,
            )
          : reject(
              'issued-in-future',
              `token issued in the future: iat is ${secondsFromNow('iat')} s after this server's clock ${tolerance} — ${skewHint}`,
              claim,
            );
      case 'iss':
        return reject('wrong-issuer', `token issuer ${describe(payload.iss)} is not trusted here (expected "${policy.issuer}")`, claim);
      case 'aud':
        return reject(
          'wrong-audience',
          `token audience ${describe(payload.aud)} is not this service — request a token for one of: ${policy.audiences.join(', ')}`,
          claim,
        );
      default:
        return reject('claim-invalid', `token claim "${claim}" failed its check: ${error.message}`, claim);
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    const alg = headerOf(token).alg;
    return alg === 'none'
      ? reject('unsecured', `unsigned token (alg "none") refused — this service accepts only ${policy.algorithm}`, 'alg')
      : reject(
          'algorithm-not-allowed',
          `token algorithm ${describe(alg)} refused — this service accepts only ${policy.algorithm} ` +
            '(a symmetric algorithm here is the key-confusion attack)',
          'alg',
        );
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return reject(
      'unknown-key',
      `token signed with key ${describe(headerOf(token).kid)}, which the issuer does not publish — ` +
        'it was rotated out long ago or the token comes from another issuer',
      'kid',
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return reject('signature-invalid', 'token signature does not match — the token was altered or signed with another key', 'signature');
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || error.constructor === errors.JOSEError) {
    return reject('keys-unavailable', `the issuer's signing keys could not be loaded: ${error.message}`);
  }
  return reject('malformed', `token is not a valid JWT: ${error.message}`);
}

function headerOf(token: string): { alg?: unknown; kid?: unknown } {
  try {
    return decodeProtectedHeader(token);
  } catch {
    return {};
  }
}

function describe(value: JWTPayload[string]): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}

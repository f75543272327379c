import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { Clock } from '../clock/index.js';
import { TokenRejectedError, toTokenRejectedError } from './token-rejected.error.js';
import type { TokenPolicy } from './token-policy.js';

/** What a handler may rely on once a token has been accepted. */
export interface VerifiedToken {
  readonly subject: string;
  readonly audiences: readonly string[];
  readonly scopes: readonly string[];
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  readonly keyId: string;
}

/**
 * Checks a bearer token against one issuer's policy. Every check is explicit rather than left to a
 * library default (article 2): only the issuer's algorithm, `exp` and `iat` required, the policy's
 * clock tolerance and maxTokenAge, issuer and audience — and "now" is the injected clock, so a test
 * or the workshop can put this verifier 31 s behind its issuer.
 */
export class TokenVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(
    readonly policy: TokenPolicy,
    keys: JWTVerifyGetKey,
    private readonly clock: Clock,
  ) {
    // Without a `kid`, a JWKS resolver picks any key of the right type; a rotating issuer always
    // names its key, so a token that does not is refused before any key is tried.
    this.keys = async (header, token) => {
      if (typeof header.kid !== 'string' || header.kid === '') {
        throw new TokenRejectedError('unknown-key', 'token has no "kid" header — it was not issued by a Faultline issuer', 'kid');
      }
      try {
        return await keys(header, token);
      } catch (error) {
        // jose passes a failed JWKS fetch (connection refused…) through as a plain error: the issuer
        // is unreachable, which is not the caller's fault and must not read as a malformed token.
        if (error instanceof errors.JOSEError) throw error;
        throw new TokenRejectedError('keys-unavailable', `the issuer's signing keys could not be fetched: ${messageOf(error)}`);
      }
    };
  }

  /** A verifier for a JWKS document already in hand (the issuer in the same process, or a test). */
  static forJwks(policy: TokenPolicy, jwks: JSONWebKeySet, clock: Clock): TokenVerifier {
    return new TokenVerifier(policy, createLocalJWKSet(jwks), clock);
  }

  /**
   * Verifies `token`, or throws TokenRejectedError naming the failing check. `audience` narrows
   * the accepted audiences for one route (a guard's `@RequiresToken('billing')`).
   */
  async verify(token: string, { audience }: { audience?: string | readonly string[] } = {}): Promise<VerifiedToken> {
    const now = this.clock.now();
    try {
      const { payload, protectedHeader } = await jwtVerify(token, this.keys, {
        algorithms: [this.policy.algorithm],
        requiredClaims: ['exp', 'iat', 'sub'],
        clockTolerance: this.policy.clockToleranceSeconds,
        maxTokenAge: this.policy.maxTokenAgeSeconds,
        issuer: this.policy.issuer,
        audience: audience === undefined ? [...this.policy.audiences] : typeof audience === 'string' ? audience : [...audience],
        currentDate: now,
      });
      return {
        subject: String(payload.sub),
        audiences: Array.isArray(payload.aud) ? payload.aud : [String(payload.aud)],
        scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
        issuedAt: new Date(Number(payload.iat) * 1_000),
        expiresAt: new Date(Number(payload.exp) * 1_000),
        keyId: String(protectedHeader.kid),
      };
    } catch (error) {
      // Name the audiences this route asked for, not every one the service knows (a user token on a
      // service-token route must be told "billing", not "faultline-api, billing").
      const asked = audience === undefined ? this.policy : { ...this.policy, audiences: typeof audience === 'string' ? [audience] : [...audience] };
      throw toTokenRejectedError(error, token, asked, now);
    }
  }
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}

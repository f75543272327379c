import { SignJWT, type JSONWebKeySet } from 'jose';
import type { Clock } from '../clock/index.js';
import { SigningKeyRing } from './signing-key-ring.js';
import type { TokenPolicy } from './token-policy.js';

export interface TokenRequest {
  /** Who the token speaks for: a user id, or a service name for service-to-service calls. */
  subject: string;
  /** The service that will accept it (`aud`). */
  audience: string;
  /** What it allows, written as the space-separated `scope` claim (RFC 8693 §4.2). */
  scopes?: readonly string[];
}

/**
 * Signs short-lived JWTs with the current key of its ring, under a token policy. No service issues
 * tokens (the identity provider does, ADR 0015); this is the signing half the tests use — the test
 * issuer, forged-token attacks, verifier tests. `iat`, `nbf` and `exp` come from the injected clock,
 * never from `Date.now()`: an issuer whose clock is skewed issues tokens skewed by exactly as much,
 * so a test shows article 2 without touching the OS clock.
 */
export class TokenIssuer {
  private constructor(
    readonly policy: TokenPolicy,
    private readonly clock: Clock,
    private readonly keys: SigningKeyRing,
  ) {}

  static async create(policy: TokenPolicy, clock: Clock): Promise<TokenIssuer> {
    return new TokenIssuer(policy, clock, await SigningKeyRing.create(policy, clock));
  }

  async issue({ subject, audience, scopes = [] }: TokenRequest): Promise<string> {
    const issuedAt = Math.floor(this.clock.now().getTime() / 1_000);
    const { kid, privateKey } = this.keys.signingKey;
    return new SignJWT(scopes.length > 0 ? { scope: scopes.join(' ') } : {})
      .setProtectedHeader({ alg: this.policy.algorithm, kid, typ: 'JWT' })
      .setIssuer(this.policy.issuer)
      .setSubject(subject)
      .setAudience(audience)
      .setIssuedAt(issuedAt)
      .setNotBefore(issuedAt)
      .setExpirationTime(issuedAt + this.policy.lifetimeSeconds)
      .sign(privateKey);
  }

  /** Signs with a new key from now on; tokens signed with the old one keep verifying until they expire. */
  rotateKey(): Promise<void> {
    return this.keys.rotate();
  }

  /** The public keys, to serve as the issuer's JWKS. */
  jwks(): JSONWebKeySet {
    return this.keys.jwks();
  }
}

import { calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey, type JSONWebKeySet, type JWK } from 'jose';
import type { Clock } from '../clock/index.js';
import type { TokenPolicy } from './token-policy.js';

interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  /** Monotonic instant after which no token signed with this key can still be accepted anywhere. */
  retiresAtMonotonicMs?: number;
}

/**
 * The issuer's keys: the current one signs, the previous ones are still published until every token
 * they signed has expired. Dropping a key from the JWKS at the moment of rotation would make every
 * verifier refuse tokens that are still valid; keeping it forever would keep a possibly leaked key
 * trusted. A retired key stays for lifetime + clock tolerance after its last signature — the longest
 * any verifier may still accept that signature.
 */
export class SigningKeyRing {
  private constructor(
    private readonly policy: TokenPolicy,
    private readonly clock: Clock,
    private current: SigningKey,
    private readonly previous: SigningKey[] = [],
  ) {}

  static async create(policy: TokenPolicy, clock: Clock): Promise<SigningKeyRing> {
    return new SigningKeyRing(policy, clock, await generateSigningKey(policy));
  }

  /** The key to sign with now. */
  get signingKey(): { readonly kid: string; readonly privateKey: CryptoKey } {
    return this.current;
  }

  /** Starts signing with a fresh key; the old one stays published until its tokens are dead. */
  async rotate(): Promise<void> {
    const next = await generateSigningKey(this.policy);
    // A duration, so the monotonic clock: a wall-clock jump (or a workshop skew) must not retire a key early.
    const validityMs = (this.policy.lifetimeSeconds + this.policy.clockToleranceSeconds) * 1_000;
    this.previous.unshift({ ...this.current, retiresAtMonotonicMs: this.clock.monotonicMs() + validityMs });
    this.current = next;
  }

  /** The public JWKS document: the current key and every not-yet-retired one. */
  jwks(): JSONWebKeySet {
    const now = this.clock.monotonicMs();
    for (let i = this.previous.length - 1; i >= 0; i--) {
      const retiresAt = this.previous[i]?.retiresAtMonotonicMs;
      if (retiresAt !== undefined && retiresAt <= now) this.previous.splice(i, 1);
    }
    return { keys: [this.current, ...this.previous].map((key) => ({ ...key.publicJwk })) };
  }
}

async function generateSigningKey(policy: TokenPolicy): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(policy.algorithm);
  const jwk = await exportJWK(publicKey);
  // RFC 7638 thumbprint: a kid derived from the key itself, so two issuers never collide on one.
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, privateKey, publicJwk: { ...jwk, kid, alg: policy.algorithm, use: 'sig' } };
}

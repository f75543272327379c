import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_CLOCK_TOLERANCE_SECONDS, DEFAULT_TOKEN_LIFETIME_SECONDS, TOKEN_ALGORITHM } from '@faultline/shared/auth';
import { isUniqueViolationOf } from '@faultline/shared/event-store';

/**
 * How long a retired key stays in the JWKS: the longest a token signed just before the rotation
 * lives (access and ID tokens both get the policy's lifetime, see oidc/provider-configuration.ts),
 * plus the clock tolerance verifiers grant past `exp`. After that no valid token can name it.
 */
export const RETIRED_KEY_PUBLISHED_SECONDS = DEFAULT_TOKEN_LIFETIME_SECONDS + DEFAULT_CLOCK_TOLERANCE_SECONDS;

/** A private signing key as oidc-provider takes it (a JWK with `kid`, `alg` and `use`). */
export interface StoredSigningKey {
  kid: string;
  privateJwk: JWK;
  createdAt: Date;
  /** Set once a newer key signs; the key still verifies until it leaves the JWKS. */
  retiredAt: Date | null;
}

export interface Rotation {
  retiredKid: string | undefined;
  activeKid: string;
}

/**
 * The provider's signing keys in its own database (`signing_keys`): exactly one active key signs
 * (a unique partial index enforces it), retired keys are published for verification only until
 * RETIRED_KEY_PUBLISHED_SECONDS after their retirement. Keeping them in the database rather than a
 * file lets every replica, and the rotate-keys command, see the same keys.
 */
export class SigningKeyStore {
  constructor(private readonly db: DataSource) {}

  /** The keys to load into the provider: the active key first (it signs), then the retired ones still published. */
  async publishedKeys(): Promise<StoredSigningKey[]> {
    const rows: { kid: string; private_jwk: JWK; created_at: Date; retired_at: Date | null }[] = await this.db.query(
      `SELECT kid, private_jwk, created_at, retired_at
         FROM signing_keys
        WHERE retired_at IS NULL OR retired_at > now() - make_interval(secs => $1::int)
        ORDER BY retired_at IS NOT NULL, retired_at DESC`,
      [RETIRED_KEY_PUBLISHED_SECONDS],
    );
    return rows.map((row) => ({ kid: row.kid, privateJwk: row.private_jwk, createdAt: row.created_at, retiredAt: row.retired_at }));
  }

  /** Creates the first key when there is none (a fresh database); does nothing otherwise. */
  async ensureActiveKey(): Promise<void> {
    const [{ active }]: { active: boolean }[] = await this.db.query(`SELECT exists(SELECT FROM signing_keys WHERE retired_at IS NULL) AS active`);
    if (active) return;
    try {
      await this.insertKey(this.db.manager, await newSigningKey());
    } catch (error) {
      // Another replica (or a rotation) created the active key in the meantime: that one signs.
      if (!isUniqueViolationOf(error, 'signing_keys_one_active')) throw error;
    }
  }

  /**
   * Retires the active key and creates the next one, in one transaction: there is never a moment
   * with no signing key or with two. Running services pick the new key up within their reload interval.
   */
  async rotate(): Promise<Rotation> {
    const key = await newSigningKey();
    return this.db.transaction(async (manager) => {
      // TypeORM answers an UPDATE on PostgreSQL with [returned rows, affected count].
      const [retired]: [{ kid: string }[], number] = await manager.query(
        `UPDATE signing_keys SET retired_at = now() WHERE retired_at IS NULL RETURNING kid`,
      );
      await this.insertKey(manager, key);
      return { retiredKid: retired[0]?.kid, activeKid: key.kid };
    });
  }

  private async insertKey(manager: EntityManager, { kid, privateJwk }: { kid: string; privateJwk: JWK }): Promise<void> {
    await manager.query(
      `INSERT INTO signing_keys (kid, algorithm, private_jwk, created_at) VALUES ($1, $2, $3, now())`,
      [kid, TOKEN_ALGORITHM, JSON.stringify(privateJwk)],
    );
  }
}

/**
 * A new key pair for the one algorithm Faultline's verifiers accept (ES256, libs/shared/src/auth/token-policy.ts).
 * Its `kid` is the RFC 7638 thumbprint of the public key, so the id is derived from the key itself.
 */
async function newSigningKey(): Promise<{ kid: string; privateJwk: JWK }> {
  const { privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, privateJwk: { ...jwk, kid, alg: TOKEN_ALGORITHM, use: 'sig' } };
}

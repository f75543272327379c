import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import type { DataSource } from 'typeorm';

/**
 * oidc-provider's storage on PostgreSQL: sessions, interactions, grants, authorization codes and
 * every other model live in `oidc_models`, one row per (model, id), so a restart or a second replica
 * sees the same state (the provider's built-in adapter is in-memory, for development only). It
 * follows the contract of the provider's reference adapter (lib/adapters/memory_adapter.js):
 * - `find` returns nothing once `expires_at` has passed, and `consumed` (epoch seconds) once
 *   `consume` ran — the provider refuses a consumed authorization code the second time;
 * - a Session keeps one row per `uid`: the provider changes a session's id on sign-in, and
 *   `findByUid` must find the newest;
 * - `revokeByGrantId` drops every token of this model issued under the grant.
 * Rows are kept for `clockToleranceSeconds` past their expiry, as the reference adapter does, so a
 * token the provider still accepts within its tolerance is still found.
 */
export class PostgresOidcAdapter implements Adapter {
  constructor(
    private readonly model: string,
    private readonly db: DataSource,
    private readonly clockToleranceSeconds: number,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const uid = this.model === 'Session' && typeof payload.uid === 'string' ? payload.uid : null;
    const grantId = typeof payload.grantId === 'string' ? payload.grantId : null;
    const userCode = typeof payload.userCode === 'string' ? payload.userCode : null;
    const keepSeconds = typeof expiresIn === 'number' ? expiresIn + this.clockToleranceSeconds : null;
    await this.db.query(
      `WITH superseded AS (
         DELETE FROM oidc_models WHERE $5::text IS NOT NULL AND model = $1 AND uid = $5 AND id <> $2
       )
       INSERT INTO oidc_models (model, id, payload, grant_id, uid, user_code, expires_at, consumed_at)
       VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7::int IS NULL THEN NULL ELSE now() + make_interval(secs => $7::int) END, NULL)
       ON CONFLICT (model, id) DO UPDATE
         SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id, uid = EXCLUDED.uid,
             user_code = EXCLUDED.user_code, expires_at = EXCLUDED.expires_at, consumed_at = NULL`,
      [this.model, id, JSON.stringify(payload), grantId, uid, userCode, keepSeconds],
    );
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('id = $2', id);
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('uid = $2', uid);
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('user_code = $2', userCode);
  }

  async consume(id: string): Promise<void> {
    await this.db.query(`UPDATE oidc_models SET consumed_at = now() WHERE model = $1 AND id = $2`, [this.model, id]);
  }

  async destroy(id: string): Promise<void> {
    await this.db.query(`DELETE FROM oidc_models WHERE model = $1 AND id = $2`, [this.model, id]);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db.query(`DELETE FROM oidc_models WHERE model = $1 AND grant_id = $2`, [this.model, grantId]);
  }

  private async findWhere(condition: string, value: string): Promise<AdapterPayload | undefined> {
    const rows: { payload: AdapterPayload; consumed: number | null }[] = await this.db.query(
      `SELECT payload, floor(extract(epoch FROM consumed_at))::int AS consumed
         FROM oidc_models
        WHERE model = $1 AND ${condition} AND (expires_at IS NULL OR expires_at > now())
        LIMIT 1`,
      [this.model, value],
    );
    const [row] = rows;
    if (!row) return undefined;
    return row.consumed === null ? row.payload : { ...row.payload, consumed: row.consumed };
  }
}

/** The `adapter` option of the provider: one adapter per model, all on the same database. */
export function postgresOidcAdapter(db: DataSource, clockToleranceSeconds: number): AdapterFactory {
  return (model) => new PostgresOidcAdapter(model, db, clockToleranceSeconds);
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The identity provider's three stores: customers' accounts, the OAuth state, and its signing keys. */
export class CreateAccountsOidcStateAndSigningKeys1765100000000 implements MigrationInterface {
  name = 'CreateAccountsOidcStateAndSigningKeys1765100000000';

  async up(db: QueryRunner): Promise<void> {
    // `id` is the token's `sub`: the customerId every other service knows the customer by.
    await db.query(`
      CREATE TABLE accounts (
        id             uuid PRIMARY KEY,
        email          text NOT NULL CHECK (email = btrim(email) AND length(email) BETWEEN 3 AND 254),
        password_hash  text NOT NULL,
        created_at     timestamptz NOT NULL
      )`);
    // One account per address whatever its case: the index, not the sign-up code, carries the rule,
    // so two concurrent sign-ups for Alice@example.com and alice@example.com cannot both succeed.
    await db.query(`CREATE UNIQUE INDEX accounts_email_unique ON accounts (lower(email))`);

    // Everything oidc-provider persists through its Adapter (sessions, interactions, grants,
    // authorization codes, ...): one row per model and id, the payload as the provider gave it.
    // The extra columns are the lookups the Adapter interface asks for besides the key.
    await db.query(`
      CREATE TABLE oidc_models (
        model        text NOT NULL,
        id           text NOT NULL,
        payload      jsonb NOT NULL,
        grant_id     text,
        uid          text,
        user_code    text,
        expires_at   timestamptz,
        consumed_at  timestamptz,
        PRIMARY KEY (model, id)
      )`);
    await db.query(`CREATE INDEX oidc_models_by_grant ON oidc_models (grant_id) WHERE grant_id IS NOT NULL`);
    await db.query(`CREATE INDEX oidc_models_by_uid ON oidc_models (model, uid) WHERE uid IS NOT NULL`);
    await db.query(`CREATE INDEX oidc_models_by_user_code ON oidc_models (model, user_code) WHERE user_code IS NOT NULL`);
    await db.query(`CREATE INDEX oidc_models_by_expiry ON oidc_models (expires_at) WHERE expires_at IS NOT NULL`);

    // Private signing keys (JWK). A retired key no longer signs; its public half stays in the JWKS
    // until every token it signed has expired (see signing-keys/signing-key-store.ts).
    await db.query(`
      CREATE TABLE signing_keys (
        kid          text PRIMARY KEY,
        algorithm    text NOT NULL,
        private_jwk  jsonb NOT NULL,
        created_at   timestamptz NOT NULL,
        retired_at   timestamptz,
        CHECK (retired_at IS NULL OR retired_at >= created_at)
      )`);
    // At most one key signs at any moment, even with two rotations racing.
    await db.query(`CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys ((true)) WHERE retired_at IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE signing_keys`);
    await db.query(`DROP TABLE oidc_models`);
    await db.query(`DROP TABLE accounts`);
  }
}

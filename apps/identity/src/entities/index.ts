import { Account } from './account.entity.js';

/**
 * Every table the identity provider maps, listed explicitly (ESM builds have no globs to scan).
 * `oidc_models` and `signing_keys` are read and written with SQL by their one owner each
 * (oidc/postgres-adapter.ts, signing-keys/signing-key-store.ts).
 */
export const entities = [Account];
export { Account } from './account.entity.js';

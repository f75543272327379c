// Rotates the identity provider's signing key: `node apps/identity/dist/rotate-keys.js`.
// The new key signs from the next key reload of each running identity process (within
// IDENTITY_KEY_RELOAD_INTERVAL_MS); the retired key stays in the JWKS until every token it signed
// has expired, so no verifier refuses a valid token because of the rotation (ADR 0015).
import { DataSource } from 'typeorm';
import { ConfigurationError } from '@faultline/shared/config';
import { dataSourceOptions } from '@faultline/shared/database';
import { loadIdentitySettings, type IdentitySettings } from './config.js';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';
import { RETIRED_KEY_PUBLISHED_SECONDS, SigningKeyStore } from './signing-keys/signing-key-store.js';

let settings: IdentitySettings;
try {
  settings = loadIdentitySettings();
} catch (error) {
  if (!(error instanceof ConfigurationError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const { name } = settings.service;
const { database } = settings;
const db = new DataSource(dataSourceOptions(name, database, { entities, migrations }));
try {
  await db.initialize();
  const { retiredKid, activeKid } = await new SigningKeyStore(db).rotate();
  console.log(`${name}: new signing key ${activeKid}; running identity processes sign with it within ${settings.identity.keyReloadIntervalMs / 1_000} s`);
  if (retiredKid) {
    console.log(`${name}: retired key ${retiredKid} stays in the JWKS for ${RETIRED_KEY_PUBLISHED_SECONDS} s, until every token it signed has expired`);
  }
} catch (error) {
  console.error(`${name}: rotating the signing key in ${database.database} at ${database.host}:${database.port} failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  if (db.isInitialized) await db.destroy();
}

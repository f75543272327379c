#!/usr/bin/env node
// `npm run -s sign-in -- <email> <password>`: signs in at the identity provider the way a command-line
// client does (authorization code flow with PKCE: the login form filled in, the code exchanged at the
// token endpoint) and prints the user access token, for curl. The identity provider must be running
// (`npx nx serve identity`). Without arguments it signs in as the demo customer alice@example.com.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseEnv } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...parseEnv(readFileSync(join(root, 'infra', 'faultline.env'), 'utf8')), ...process.env };
const client = join(root, 'apps', 'identity', 'dist', 'testing', 'index.js');
if (!existsSync(client)) {
  console.error('sign-in: apps/identity is not built; run `npm run build` first');
  process.exit(2);
}
const { DEMO_ACCOUNTS, LoginRefusedError, userToken } = await import(pathToFileURL(client).href);

const [email = DEMO_ACCOUNTS[0].email, password = email === DEMO_ACCOUNTS[0].email ? DEMO_ACCOUNTS[0].password : undefined] =
  process.argv.slice(2);
if (password === undefined) {
  console.error('usage: npm run -s sign-in -- <email> <password>   (no arguments: the demo customer alice@example.com)');
  process.exit(2);
}
const identityUrl = (env.IDENTITY_ISSUER ?? `http://127.0.0.1:${env.IDENTITY_HTTP_PORT}`).replace(/\/$/, '');
try {
  console.log(await userToken(identityUrl, { email, password }));
} catch (error) {
  const hint = error instanceof LoginRefusedError ? '' : ` (is the identity provider running at ${identityUrl}? \`npx nx serve identity\` starts it)`;
  console.error(`sign-in: ${error.message}${hint}`);
  process.exit(1);
}

#!/usr/bin/env node
// `npm run -s sign-in -- <email> <password>`: signs in at the identity provider the way a command-line
// client does (authorization code flow with PKCE: the login form filled in, the code exchanged at the
// token endpoint) and prints the user access token, for curl. The identity provider must be running
// (`npx nx serve identity`). Without arguments it signs in as the demo customer alice@example.com.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseEnv } from 'node:util';
import { readCommandLine, refuse } from './command-line.mjs';

const { positionals } = readCommandLine({
  invocation: 'npm run -s sign-in --',
  usage: `usage: npm run -s sign-in -- [<email> <password>]

Signs in at the identity provider as a command-line client does (authorization code flow with
PKCE) and prints the user access token, for curl. Without arguments: the demo customer
alice@example.com. The identity provider must be running (npx nx serve identity).

arguments:
  <email> <password>   the account to sign in as; default: alice@example.com with its demo password
                       (a password that starts with - goes after a second --)

options:
  -h, --help           print this text

examples:
  TOKEN=$(npm run -s sign-in)                       # the demo customer
  TOKEN=$(npm run -s sign-in -- <email> <password>)`,
  allowPositionals: true,
});

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...parseEnv(readFileSync(join(root, 'infra', 'faultline.env'), 'utf8')), ...process.env };
const client = join(root, 'apps', 'identity', 'dist', 'testing', 'index.js');
if (!existsSync(client)) {
  console.error('sign-in: apps/identity is not built; run `npm run build` first');
  process.exit(2);
}
const { DEMO_ACCOUNTS, LoginRefusedError, userToken } = await import(pathToFileURL(client).href);

const [email = DEMO_ACCOUNTS[0].email, password = email === DEMO_ACCOUNTS[0].email ? DEMO_ACCOUNTS[0].password : undefined] = positionals;
if (password === undefined) refuse('npm run -s sign-in --', `no password for ${email}`);
const identityUrl = (env.IDENTITY_ISSUER ?? `http://127.0.0.1:${env.IDENTITY_HTTP_PORT}`).replace(/\/$/, '');
try {
  console.log(await userToken(identityUrl, { email, password }));
} catch (error) {
  const hint = error instanceof LoginRefusedError ? '' : ` (is the identity provider running at ${identityUrl}? \`npx nx serve identity\` starts it)`;
  console.error(`sign-in: ${error.message}${hint}`);
  process.exit(1);
}

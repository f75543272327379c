import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { expectProblem, type ServiceProcess } from '@faultline/shared/testing';
import { startIdentity } from './testing/index.js';

const env = readFaultlineEnvironment();
const LIMIT = 3;

// The routes that check a credential or reveal an account are paced per client address (ADR 0016):
// the provider runs with a ceiling of 3 a minute per address, shared by those routes, so the 4th
// attempt within the minute is refused whichever route it goes to.
describe('identity provider rate limits on credentials', () => {
  let service: ServiceProcess;

  before(async () => {
    service = await startIdentity({ env: () => ({ FAULTLINE_RATE_LIMIT_CREDENTIALS_PER_MINUTE: String(LIMIT) }) });
  });
  after(() => service?.stop());

  const basic = (secret: string) => `Basic ${Buffer.from(`orders:${secret}`).toString('base64')}`;
  const askForToken = (secret: string) =>
    fetch(`${service.url}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(secret) },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: 'urn:faultline:billing' }),
    });

  it('refuses the token endpoint with 429 problem+json and Retry-After past the limit, even with the right secret', async () => {
    for (let attempt = 1; attempt <= LIMIT; attempt += 1) {
      const guess = await askForToken(`a-guessed-secret-number-${attempt}`);
      assert.equal(guess.status, 401, `guess ${attempt} is checked and refused`);
      await guess.body?.cancel();
    }
    const refused = await askForToken(String(env.IDENTITY_ORDERS_CLIENT_SECRET));
    assert.ok(Number(refused.headers.get('retry-after')) > 0, 'Retry-After says when to come back');
    await expectProblem(refused, 429);
  });

  it('counts sign-ups against the same budget of the address: with it spent, a sign-up is refused too', async () => {
    const response = await fetch(`${service.url}/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `rate-${Date.now()}@example.com`, password: 'a-long-enough-password-1' }),
    });
    await expectProblem(response, 429);
  });

  it('leaves the JWKS and the discovery document to verifiers, unpaced', async () => {
    for (let n = 0; n < LIMIT * 3; n += 1) {
      const response = await fetch(`${service.url}/oidc/jwks`);
      assert.equal(response.status, 200);
      await response.body?.cancel();
    }
  });
});

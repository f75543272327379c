import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { startService, type RunningService } from '@faultline/shared/service-defaults';
import { eventually, expectProblem, forgeTokens, requireReachable, startTestIssuer, type TestIssuer, idleTestConsumer } from '@faultline/shared/testing';
import { AppModule } from './app.module.js';
import { loadNotificationsSettings } from './config.js';

const env = readFaultlineEnvironment();

// Article 2 on a real service: the global token guard, the public routes, the skewable clock and the
// skew readiness of the notifications AppModule, with tokens from a real issuer over a real JWKS.
describe('notifications service with FAULTLINE_AUTH=enforce', () => {
  let service: RunningService;
  let issuer: TestIssuer;
  let peer: Server;
  let peerSkewMs = 0;
  const url = (path: string) => `${service.url}${path}`;
  const customerId = randomUUID();
  const notifications = () => url(`/customers/${customerId}/notifications`);
  const get = (address: string, token?: string) =>
    fetch(address, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  const skew = async (skewMs: number) => {
    const response = await fetch(url('/admin/clock'), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ skewMs }),
    });
    assert.equal(response.status, 200, await response.text());
  };
  const refusal = async (response: Response, claim: string) => {
    const problem = await expectProblem(response, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer error="invalid_token"/);
    assert.equal(problem.claim, claim, String(problem.detail));
    return problem;
  };

  before(async () => {
    await requireReachable('PostgreSQL for notifications (through Toxiproxy)', Number(env.TOXIPROXY_NOTIFICATIONS_PG_PORT));
    await requireReachable('Kafka (through Toxiproxy)', Number(env.TOXIPROXY_KAFKA_PORT));
    issuer = await startTestIssuer();
    // A peer answering /time with a clock the test moves: what the skew monitor measures.
    peer = createServer((_, response) => {
      const now = new Date(Date.now() + peerSkewMs).toISOString();
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ receivedAt: now, sentAt: now }));
    });
    await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
    const settings = loadNotificationsSettings({
      ...env,
      LOG_LEVEL: 'error',
      FAULTLINE_AUTH: 'enforce',
      ...issuer.environment,
      FAULTLINE_WORKSHOP_MODE: 'true',
    });
    settings.http.port = 0;
    settings.orderEvents = idleTestConsumer(settings.orderEvents);
    settings.paymentEvents = idleTestConsumer(settings.paymentEvents);
    assert.ok(settings.clock, 'notifications settings carry its clock options');
    settings.clock = {
      ...settings.clock,
      peers: { peer: `http://127.0.0.1:${(peer.address() as AddressInfo).port}` },
      probeIntervalMs: 200,
    };
    service = await startService(settings, AppModule.forRoot(settings));
  });
  after(async () => {
    await service?.app.close();
    await issuer?.stop();
    await new Promise<void>((resolve) => (peer ? peer.close(() => resolve()) : resolve()));
  });

  it('keeps /health, /ready, /metrics, /time and /docs open without a token', async () => {
    for (const path of ['/health', '/ready', '/metrics', '/time', '/docs-json']) {
      assert.equal((await get(url(path))).status, 200, path);
    }
  });

  it('answers a request without a token with 401 problem+json and a bare Bearer challenge', async () => {
    const response = await get(notifications());
    const problem = await expectProblem(response, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer');
    assert.equal(problem.reason, 'missing');
  });

  it("lets the customer's user token (aud faultline-api) through, and a service token for notifications past the token check only", async () => {
    assert.equal((await get(notifications(), await issuer.userToken(customerId))).status, 200);
    // Valid for this service, but the route is the customer's own: no service may read it.
    const problem = await expectProblem(await get(notifications(), await issuer.serviceToken('orders', 'notifications')), 403);
    assert.equal(problem.type, 'urn:faultline:problem:access-denied');
  });

  it('refuses a tampered signature, a wrong audience, a wrong issuer, an unknown kid, alg none and HS256 with the public key', async () => {
    const genuine = await issuer.userToken(customerId);
    const publishedKey = issuer.jwks().keys[0];
    assert.ok(publishedKey);
    const forged = await forgeTokens(genuine, publishedKey);
    await refusal(await get(notifications(), forged.tampered), 'signature');
    await refusal(await get(notifications(), await issuer.serviceToken('orders', 'billing')), 'aud');
    await refusal(await get(notifications(), await issuer.tokenFromAnotherIssuer(randomUUID())), 'iss');
    await refusal(await get(notifications(), forged.unknownKid), 'kid');
    await refusal(await get(notifications(), forged.algNone), 'alg');
    await refusal(await get(notifications(), forged.hs256WithPublicKey), 'alg');
  });

  it('accepts a fresh token 29 s ahead of its clock and refuses one 31 s ahead, naming nbf', async () => {
    try {
      await skew(-29_000);
      assert.equal((await get(notifications(), await issuer.userToken(customerId))).status, 200);
      await skew(-31_000);
      const problem = await refusal(await get(notifications(), await issuer.userToken(customerId)), 'nbf');
      assert.match(String(problem.detail), /nbf is 3[01] s after this server's clock \(tolerance 30 s\)/);
    } finally {
      await skew(0);
    }
  });

  it('refuses a token expired by more than the tolerance by its clock with 401 naming exp', async () => {
    try {
      await skew((600 + 31) * 1_000); // 10 min lifetime + 31 s
      await refusal(await get(notifications(), await issuer.userToken(customerId)), 'exp');
    } finally {
      await skew(0);
    }
  });

  it('answers PUT /admin/clock with a skew that is not whole milliseconds within a day with a 400 problem', async () => {
    for (const skewMs of ['31s', 1.5, 2 * 24 * 60 * 60 * 1_000]) {
      const response = await fetch(url('/admin/clock'), {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ skewMs }),
      });
      await expectProblem(response, 400);
    }
  });

  it('exports the peer skew and turns /ready red once a peer is more than 15 s away, green again after', async () => {
    try {
      peerSkewMs = 16_000;
      await eventually(async () => {
        const response = await get(url('/ready'));
        assert.equal(response.status, 503);
        assert.match(String(((await response.json()) as { detail?: string }).detail), /clockSkew.*peer is 16(\.\d+)? s ahead/);
        return true;
      });
      assert.match(await (await get(url('/metrics'))).text(), /clock_skew_seconds\{peer="peer"[^}]*\} 1[56](\.\d+)?\n/);
    } finally {
      peerSkewMs = 0;
    }
    await eventually(async () => ((await get(url('/ready'))).status === 200 ? true : undefined));
  });
});

describe('notifications service outside workshop mode', () => {
  let service: RunningService;

  before(async () => {
    await requireReachable('PostgreSQL for notifications (through Toxiproxy)', Number(env.TOXIPROXY_NOTIFICATIONS_PG_PORT));
    const settings = loadNotificationsSettings({ ...env, LOG_LEVEL: 'error', FAULTLINE_WORKSHOP_MODE: 'false' });
    settings.http.port = 0;
    settings.orderEvents = idleTestConsumer(settings.orderEvents);
    settings.paymentEvents = idleTestConsumer(settings.paymentEvents);
    service = await startService(settings, AppModule.forRoot(settings));
  });
  after(() => service?.app.close());

  it('does not mount PUT /admin/clock at all: nothing can skew its clock from outside (article 2)', async () => {
    const response = await fetch(`${service.url}/admin/clock`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ skewMs: 31_000 }),
    });
    await expectProblem(response, 404);
  });
});

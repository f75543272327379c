import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { SystemClock } from '@faultline/shared/clock';
import { createDependencyPipeline, type ResiliencePolicy } from '@faultline/shared/resilience';
import { paymentProviderClient } from './payment-provider.module.js';
import type { ProviderCalls } from './payment-provider-settings.js';

const POLICY: ResiliencePolicy = {
  timeoutMs: 1_000,
  breaker: { samplingDurationMs: 10_000, minimumCalls: 100, failureRatio: 0.5, halfOpenAfterMs: 60_000 },
  retry: { maxAttempts: 1, initialDelayMs: 10, maxDelayMs: 10 },
};
const authorization = { id: 'auth_1', status: 'authorized', amountMinor: 4_200, currency: 'EUR', customerReference: 'c', orderReference: 'o' };

// What billing's provider client puts on the wire besides the body, against a local HTTP server that
// writes down each request's headers: the provider's log lines join the flow that caused the call.
describe('payment provider client headers', () => {
  let server: Server;
  let baseUrl = '';
  const received: { method: string; url: string; correlationId: string | undefined }[] = [];

  before(async () => {
    server = createServer((request, response) => {
      received.push({ method: request.method ?? '', url: request.url ?? '', correlationId: request.headers['x-correlation-id'] as string | undefined });
      const body = request.method === 'GET' ? { idempotencyKey: 'k', operation: 'authorize', status: 'succeeded', response: authorization } : authorization;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const client = (calls: ProviderCalls) => {
    const pipeline = createDependencyPipeline({
      dependency: 'payment-provider',
      policy: POLICY,
      registry: new Registry(),
      logger: pino({ level: 'silent' }),
      clock: new SystemClock(),
    });
    return paymentProviderClient({ baseUrl, calls, breaker: 'correct', policy: POLICY }, pipeline);
  };

  for (const calls of ['keyed', 'naive'] as const) {
    it(`sends the caller's correlationId as x-correlation-id on every call (${calls} calls)`, async () => {
      const provider = client(calls);
      received.length = 0;
      await provider.authorize({ idempotencyKey: 'k', amountMinor: 4_200, currency: 'EUR', customerReference: 'c', orderReference: 'o' }, 'flow-1');
      await provider.capture('auth_1', 'k', 'flow-2');
      await provider.void('auth_1', 'k', 'flow-3');
      await provider.refund('auth_1', 'k', 'flow-4');
      await provider.findRequest('k', 'flow-5');
      assert.deepEqual(
        received.map(({ method, url, correlationId }) => `${method} ${url} ${correlationId}`),
        [
          'POST /v1/authorizations flow-1',
          'POST /v1/authorizations/auth_1/capture flow-2',
          'POST /v1/authorizations/auth_1/void flow-3',
          'POST /v1/authorizations/auth_1/refund flow-4',
          'GET /v1/requests/k flow-5',
        ],
      );
    });
  }
});

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { SystemClock } from '@faultline/shared/clock';
import {
  DependencyTimeoutError,
  DependencyUnavailableError,
  createDependencyPipeline,
  type DependencyPipeline,
  type ResiliencePolicy,
} from '@faultline/shared/resilience';
import { metricValue } from '@faultline/shared/testing';
import type { HttpPaymentProvider } from './http-payment-provider.js';
import { PaymentDeclinedError } from './payment-provider.js';
import { paymentProviderClient } from './payment-provider.module.js';
import type { ProviderCalls } from './payment-provider-settings.js';
import { ProviderResponseInvalidError, ProviderServerError } from './provider-call-errors.js';
import { providerAuthorizationSchema } from './provider-responses.js';
import { startPaymentProviderProcess, type PaymentProviderProcess } from './testing/payment-provider-process.js';

// Small numbers so a hang opens the breaker in a fraction of a second; the half-open delay is long
// so nothing probes during a test.
const POLICY: ResiliencePolicy = {
  timeoutMs: 300,
  breaker: { samplingDurationMs: 10_000, minimumCalls: 3, failureRatio: 0.5, halfOpenAfterMs: 60_000 },
  retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 50 },
};

// Billing's provider client against the REAL payment provider simulator (apps/payment-provider),
// started as a process on a free port with its real database, faults switched over its admin API.
describe('HttpPaymentProvider against the payment provider simulator', () => {
  let simulator: PaymentProviderProcess;
  let baseUrl = '';

  before(async () => {
    simulator = await startPaymentProviderProcess();
    baseUrl = simulator.url;
  });
  afterEach(() => simulator.clearFaults());
  after(() => simulator?.stop());

  function client(calls: ProviderCalls = 'keyed'): { provider: HttpPaymentProvider; pipeline: DependencyPipeline; registry: Registry } {
    const registry = new Registry();
    const pipeline = createDependencyPipeline({ dependency: 'payment-provider', policy: POLICY, registry, logger: pino({ level: 'silent' }), clock: new SystemClock() });
    return { provider: paymentProviderClient({ baseUrl, calls, breaker: 'correct', policy: POLICY }, pipeline), pipeline, registry };
  }

  async function authorizationsFor(orderReference: string): Promise<number> {
    return (await simulator.authorizationsFor(orderReference)).length;
  }

  async function received(run: () => Promise<unknown>): Promise<number> {
    await simulator.resetStats();
    await run();
    return (await simulator.stats()).requestsReceived;
  }

  /** The correlationId every call of this file sends. */
  const FLOW = 'http-payment-provider-test';
  const charge = () => ({ idempotencyKey: `billing:authorize:${randomUUID()}`, amountMinor: 4_200, currency: 'EUR', customerReference: randomUUID(), orderReference: randomUUID() });

  it('authorizes with an idempotency key, and the same key returns the same authorization', async () => {
    const { provider: payments } = client();
    const request = charge();
    const first = await payments.authorize(request, FLOW);
    assert.match(first.id, /^auth_/);
    assert.equal(first.status, 'authorized');
    assert.equal(first.orderReference, request.orderReference);
    assert.equal((await payments.authorize(request, FLOW)).id, first.id);
    const record = await payments.findRequest(request.idempotencyKey, FLOW);
    assert.equal(record?.status, 'succeeded');
    assert.equal(record?.authorization?.id, first.id);
    assert.equal(await payments.findRequest(`billing:authorize:${randomUUID()}`, FLOW), undefined);
  });

  it('retries a 5xx with the same key, then gives up with DependencyUnavailableError', async () => {
    const { provider: payments, registry } = client();
    await simulator.setFaults({ errorRate: 1 });
    const calls = await received(() =>
      assert.rejects(payments.authorize(charge(), FLOW), (error) => error instanceof DependencyUnavailableError && error.cause instanceof ProviderServerError),
    );
    assert.equal(calls, POLICY.retry.maxAttempts);
    assert.equal(await metricValue(registry, 'faultline_dependency_calls_total', { outcome: 'failure' }), 3);
  });

  it('counts a hanging provider as timeouts and opens the breaker, after which calls fail fast without reaching it', async () => {
    const { provider: payments, pipeline, registry } = client();
    await simulator.setFaults({ hang: true });
    const started = performance.now();
    const calls = await received(async () => {
      const results = await Promise.allSettled(Array.from({ length: POLICY.breaker.minimumCalls }, () => payments.authorize(charge(), FLOW)));
      for (const result of results) {
        assert.equal(result.status, 'rejected');
        assert.ok(result.reason instanceof DependencyUnavailableError || result.reason instanceof DependencyTimeoutError, String(result.reason));
      }
    });
    // The provider hangs until its fault is cleared: calls that settled were cut by the 300 ms timeout.
    assert.ok(performance.now() - started < 15_000, 'the hanging calls were cut at the 300 ms timeout');
    assert.equal(pipeline.state, 'open');
    assert.ok(calls >= POLICY.breaker.minimumCalls && calls <= POLICY.breaker.minimumCalls * 2, `the provider received ${calls}`);
    assert.ok((await metricValue(registry, 'faultline_dependency_calls_total', { outcome: 'timeout' })) >= POLICY.breaker.minimumCalls);
    const whileOpen = await received(() => assert.rejects(payments.authorize(charge(), FLOW), DependencyUnavailableError));
    assert.equal(whileOpen, 0);
  });

  it('takes a 200 with a corrupt body as a failure: retried, counted, never returned as an authorization', async () => {
    const { provider: payments, registry } = client();
    await simulator.setFaults({ corruptBody: true });
    const calls = await received(() =>
      assert.rejects(
        payments.authorize(charge(), FLOW),
        (error) => error instanceof DependencyUnavailableError && error.cause instanceof ProviderResponseInvalidError,
      ),
    );
    assert.equal(calls, POLICY.retry.maxAttempts);
    assert.equal(await metricValue(registry, 'faultline_dependency_calls_total', { outcome: 'failure' }), 3);
  });

  it('surfaces a decline as PaymentDeclinedError, once per call, and leaves the breaker closed', async () => {
    const { provider: payments, pipeline } = client();
    await simulator.setFaults({ decline: true });
    const declines = 2 * POLICY.breaker.minimumCalls;
    const calls = await received(async () => {
      for (let i = 0; i < declines; i++) await assert.rejects(payments.authorize(charge(), FLOW), PaymentDeclinedError);
    });
    assert.equal(calls, declines, 'a 402 is never retried');
    assert.equal(pipeline.state, 'closed');
  });

  it('retries a response lost after the provider committed with the same key: one charge (article 6)', async () => {
    const { provider: payments } = client();
    const request = charge();
    await simulator.setFaults({ dropResponseAfterCommit: true, times: 1 });
    const authorization = await payments.authorize(request, FLOW);
    assert.equal(authorization.orderReference, request.orderReference);
    assert.equal(await authorizationsFor(request.orderReference), 1);
  });

  it('in naive calls mode, retries the same lost response without a key and charges twice (article 6)', async () => {
    const { provider: payments } = client('naive');
    const request = charge();
    await simulator.setFaults({ dropResponseAfterCommit: true, times: 1 });
    await payments.authorize(request, FLOW);
    assert.equal(await authorizationsFor(request.orderReference), 2);
  });

  it('in naive calls mode, takes a corrupt 200 as an authorization (article 6)', async () => {
    const { provider: payments } = client('naive');
    await simulator.setFaults({ corruptBody: true, times: 1 });
    const trusted = await payments.authorize(charge(), FLOW);
    assert.equal(providerAuthorizationSchema.safeParse(trusted).success, false, 'what came back is not an authorization');
  });
});


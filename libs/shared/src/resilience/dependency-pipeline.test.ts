import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { SystemClock } from '../clock/index.js';
import { metricValue } from '../testing/metric-value.js';
import { DependencyClientError, DependencyTimeoutError, DependencyUnavailableError } from './dependency-errors.js';
import { createDependencyPipeline } from './create-dependency-pipeline.js';
import type { DependencyPipeline } from './dependency-pipeline.js';
import type { BreakerMode, ResiliencePolicy } from './resilience-policy.js';

// Real timers with small numbers: a 1 s window, 5 calls, 50 %, 200 ms half-open, 50 ms timeout.
const POLICY: ResiliencePolicy = {
  timeoutMs: 50,
  breaker: { samplingDurationMs: 1_000, minimumCalls: 5, failureRatio: 0.5, halfOpenAfterMs: 200 },
  retry: { maxAttempts: 1, initialDelayMs: 1, maxDelayMs: 5 },
};

class ServerError extends Error {}

/** A stand-in dependency that counts the calls that reached it (a fake is fine in a unit test). */
class FakeDependency {
  received = 0;
  constructor(private behaviour: 'ok' | 'fail' | 'hang' | 'decline' | { slowMs: number }) {}

  become(behaviour: FakeDependency['behaviour']): void {
    this.behaviour = behaviour;
  }

  readonly call = async (signal: AbortSignal): Promise<string> => {
    this.received += 1;
    const behaviour = this.behaviour;
    if (behaviour === 'ok') return 'ok';
    if (behaviour === 'fail') throw new ServerError('503 from the dependency');
    if (behaviour === 'decline') throw new DependencyClientError(402, 'card declined');
    if (behaviour === 'hang') {
      await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
    } else {
      await sleep(behaviour.slowMs);
    }
    return 'late';
  };
}

function pipeline(options: { policy?: ResiliencePolicy; mode?: BreakerMode; logs?: string[] } = {}): {
  pipeline: DependencyPipeline;
  registry: Registry;
} {
  const registry = new Registry();
  const logs = options.logs ?? [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
  return {
    pipeline: createDependencyPipeline({
      dependency: 'payment-provider',
      policy: options.policy ?? POLICY,
      mode: options.mode,
      registry,
      logger,
      clock: new SystemClock(),
      env: { FAULTLINE_WORKSHOP_MODE: 'true' },
    }),
    registry,
  };
}

async function settle(calls: Promise<unknown>[]): Promise<PromiseSettledResult<unknown>[]> {
  return Promise.allSettled(calls);
}

async function openBreaker(p: DependencyPipeline, dependency: FakeDependency): Promise<void> {
  for (let i = 0; i < POLICY.breaker.minimumCalls; i++) await p.execute(dependency.call).catch(() => undefined);
  assert.equal(p.state, 'open');
}

describe('DependencyPipeline (correct mode)', () => {
  it('stays closed below the minimum volume and opens on the call that reaches it with every call failing', async () => {
    const { pipeline: p } = pipeline();
    const dependency = new FakeDependency('fail');
    for (let i = 1; i < POLICY.breaker.minimumCalls; i++) {
      await assert.rejects(p.execute(dependency.call), DependencyUnavailableError);
      assert.equal(p.state, 'closed', `still closed after ${i} failures`);
    }
    await assert.rejects(p.execute(dependency.call), DependencyUnavailableError);
    assert.equal(p.state, 'open');
  });

  it('opens when failures reach exactly the ratio, not only above it', async () => {
    const { pipeline: p } = pipeline();
    const dependency = new FakeDependency('ok');
    for (let i = 0; i < 3; i++) await p.execute(dependency.call);
    dependency.become('fail');
    for (let i = 0; i < 2; i++) await p.execute(dependency.call).catch(() => undefined);
    assert.equal(p.state, 'closed', '2 failures of 5 calls is 40 %');
    await p.execute(dependency.call).catch(() => undefined);
    assert.equal(p.state, 'open', '3 failures of 6 calls is 50 %');
  });

  it('leaves the breaker closed through a stream of 4xx answers, and neither retries nor wraps them', async () => {
    const { pipeline: p, registry } = pipeline({ policy: { ...POLICY, retry: { ...POLICY.retry, maxAttempts: 3 } } });
    const dependency = new FakeDependency('decline');
    for (let i = 0; i < 20; i++) {
      await assert.rejects(p.execute(dependency.call), (error) => error instanceof DependencyClientError && error.status === 402);
    }
    assert.equal(p.state, 'closed');
    assert.equal(dependency.received, 20, 'one call each: a 4xx is never retried');
    assert.equal(await metricValue(registry, 'faultline_dependency_calls_total', { outcome: 'not-counted' }), 20);
  });

  it('fails fast once open, without calling the dependency, with a Retry-After until the probe', async () => {
    const { pipeline: p, registry } = pipeline();
    const dependency = new FakeDependency('fail');
    await openBreaker(p, dependency);
    const before = dependency.received;
    const durations: number[] = [];
    for (let i = 0; i < 100; i++) {
      const started = performance.now();
      await assert.rejects(p.execute(dependency.call), (error) => {
        assert.ok(error instanceof DependencyUnavailableError);
        assert.equal(error.dependency, 'payment-provider');
        assert.equal(error.retryAfterSeconds, 1, 'the 200 ms half-open delay rounds up to 1 s');
        return true;
      });
      durations.push(performance.now() - started);
    }
    assert.equal(dependency.received, before, 'the dependency received none of the 100 calls');
    // Speed is the benchmark's business (DESIGN §7); here only "no call waited for the dependency":
    // every one well inside the timeout, the median within the article's 5 ms.
    const sorted = [...durations].sort((a, b) => a - b);
    assert.ok((sorted[49] ?? Infinity) < 5, `median fast failure took ${sorted[49]?.toFixed(2)} ms`);
    assert.ok((sorted[99] ?? Infinity) < POLICY.timeoutMs, `slowest fast failure took ${sorted[99]?.toFixed(2)} ms`);
    assert.equal(await metricValue(registry, 'faultline_dependency_calls_total', { outcome: 'rejected' }), 100);
    assert.equal(await metricValue(registry, 'faultline_dependency_breaker_state', { dependency: 'payment-provider' }), 2);
    const histogram = await registry.getSingleMetricAsString('faultline_dependency_attempt_duration_seconds');
    assert.match(histogram, /_count\{dependency="payment-provider",outcome="rejected"\} 100$/m);
  });

  it('lets exactly one probe through after the half-open delay while concurrent calls fail fast, and closes when it succeeds', async () => {
    const logs: string[] = [];
    const { pipeline: p, registry } = pipeline({ logs });
    const dependency = new FakeDependency('fail');
    await openBreaker(p, dependency);
    await sleep(POLICY.breaker.halfOpenAfterMs + 20);
    dependency.become({ slowMs: 20 });
    const before = dependency.received;
    const results = await settle(Array.from({ length: 10 }, () => p.execute(dependency.call)));
    assert.equal(dependency.received - before, 1, 'exactly one probe reached the dependency');
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results.filter((r) => r.status === 'rejected')) assert.ok(r.reason instanceof DependencyUnavailableError);
    assert.equal(p.state, 'closed');
    assert.equal(await metricValue(registry, 'faultline_dependency_breaker_state'), 0);
    const transitions = logs.map((line) => JSON.parse(line) as { from?: string; to?: string }).filter((l) => l.to);
    assert.deepEqual(
      transitions.map((t) => `${t.from}→${t.to}`),
      ['closed→open', 'open→half-open', 'half-open→closed'],
    );
    assert.equal(await metricValue(registry, 'faultline_dependency_breaker_transitions_total', { from: 'half-open', to: 'closed' }), 1);
  });

  it('reopens when the half-open probe fails, and waits the full delay again', async () => {
    const { pipeline: p } = pipeline();
    const dependency = new FakeDependency('fail');
    await openBreaker(p, dependency);
    await sleep(POLICY.breaker.halfOpenAfterMs + 20);
    const before = dependency.received;
    await assert.rejects(p.execute(dependency.call), DependencyUnavailableError);
    assert.equal(dependency.received - before, 1);
    assert.equal(p.state, 'open');
    await assert.rejects(p.execute(dependency.call), DependencyUnavailableError);
    assert.equal(dependency.received - before, 1, 'reopened: the next call failed fast');
  });

  it('counts a call that outlives the timeout as a failure, aborts it, and opens on a hanging dependency', async () => {
    const { pipeline: p, registry } = pipeline();
    const dependency = new FakeDependency('hang');
    const started = performance.now();
    const results = await settle(Array.from({ length: POLICY.breaker.minimumCalls }, () => p.execute(dependency.call)));
    const elapsed = performance.now() - started;
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      assert.ok(r.reason instanceof DependencyTimeoutError && r.reason.timeoutMs === 50);
    }
    // A hanging call never settles by itself: that they all settled is the abort; the bound is generous for a busy machine.
    assert.ok(elapsed < 5_000, `the hanging calls were aborted after the timeout (took ${elapsed.toFixed(0)} ms)`);
    assert.equal(p.state, 'open');
    assert.equal(await metricValue(registry, 'faultline_dependency_calls_total', { outcome: 'timeout' }), 5);
  });

  it('retries a failure with backoff until it succeeds, reusing the same call', async () => {
    const { pipeline: p } = pipeline({ policy: { ...POLICY, retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 5 } } });
    let attempts = 0;
    const result = await p.execute(async () => {
      attempts += 1;
      if (attempts < 3) throw new ServerError('503');
      return 'third time';
    });
    assert.equal(result, 'third time');
    assert.equal(attempts, 3);
  });

  it('stops retrying as soon as the breaker opens: retries never reach an open breaker’s dependency', async () => {
    const policy: ResiliencePolicy = { ...POLICY, breaker: { ...POLICY.breaker, minimumCalls: 2 }, retry: { maxAttempts: 5, initialDelayMs: 1, maxDelayMs: 5 } };
    const { pipeline: p, registry } = pipeline({ policy });
    const dependency = new FakeDependency('fail');
    await assert.rejects(p.execute(dependency.call), DependencyUnavailableError);
    assert.equal(dependency.received, 2, 'two attempts opened the breaker; the third was refused, not sent');
    assert.equal(await metricValue(registry, 'faultline_dependency_calls_total', { outcome: 'rejected' }), 1, 'and not retried');
    await assert.rejects(p.execute(dependency.call), DependencyUnavailableError);
    assert.equal(dependency.received, 2);
  });
});

describe('DependencyPipeline (isolation)', () => {
  it('holds the breaker open by hand until disposed, failing every call fast', async () => {
    const { pipeline: p, registry } = pipeline();
    const dependency = new FakeDependency('ok');
    const isolation = p.isolate();
    assert.equal(p.state, 'isolated');
    await assert.rejects(p.execute(dependency.call), DependencyUnavailableError);
    assert.equal(dependency.received, 0);
    assert.equal(await metricValue(registry, 'faultline_dependency_breaker_state'), 2);
    isolation.dispose();
    assert.equal(p.state, 'closed');
    assert.equal(await p.execute(dependency.call), 'ok');
  });
});

describe('DependencyPipeline (naive mode, article 1)', () => {
  it('never opens on a hanging dependency: no timeout cuts the calls, so every caller is still waiting', async () => {
    const { pipeline: p } = pipeline({ mode: 'naive' });
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let received = 0;
    const hanging = async () => {
      received += 1;
      await released;
      return 'late';
    };
    let finished = 0;
    const calls = Array.from({ length: 20 }, () => p.execute(hanging).finally(() => (finished += 1)));
    await sleep(POLICY.timeoutMs * 4);
    assert.equal(finished, 0, 'no call came back: the callers are all still waiting');
    assert.equal(received, 20, 'every call reached the dependency');
    assert.equal(p.state, 'closed');
    release();
    await Promise.all(calls);
    assert.equal(p.state, 'closed');
  });

  it('waits out a slow dependency instead of timing out', async () => {
    const { pipeline: p } = pipeline({ mode: 'naive' });
    const dependency = new FakeDependency({ slowMs: POLICY.timeoutMs * 3 });
    const results = await settle(Array.from({ length: 10 }, () => p.execute(dependency.call)));
    assert.ok(results.every((r) => r.status === 'fulfilled'));
    assert.equal(p.state, 'closed');
  });

  it('does not open on 20 failures in a row: its minimum volume is 100 calls in 10 s', async () => {
    const { pipeline: p } = pipeline({ mode: 'naive' });
    const dependency = new FakeDependency('fail');
    for (let i = 0; i < 20; i++) await assert.rejects(p.execute(dependency.call), DependencyUnavailableError);
    assert.equal(p.state, 'closed');
    assert.equal(dependency.received, 20);
  });

  it('is refused outside workshop mode', () => {
    assert.throws(
      () =>
        createDependencyPipeline({
          dependency: 'payment-provider',
          policy: POLICY,
          mode: 'naive',
          registry: new Registry(),
          logger: pino({ level: 'silent' }),
          clock: new SystemClock(),
          env: {},
        }),
      /FAULTLINE_WORKSHOP_MODE=true/,
    );
  });
});

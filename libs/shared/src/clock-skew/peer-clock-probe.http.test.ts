import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Registry } from 'prom-client';
import { CLOCK, SkewedClock, SystemClock } from '../clock/index.js';
import { PeerClockProbe, PeerClockUnreachableError } from './peer-clock-probe.js';
import { PeerSkewMonitor } from './peer-skew-monitor.js';
import { peerTimeResponseSchema } from './peer-time.js';
import { TimeController } from './time.controller.js';

// A real peer on an ephemeral port whose injected clock is skewed, probed over real HTTP.
describe('PeerClockProbe against a peer serving GET /time', () => {
  const peerClock = new SkewedClock(new SystemClock(), 20_000);
  let peer: INestApplication;
  let peerUrl: string;

  before(async () => {
    @Module({ controllers: [TimeController], providers: [{ provide: CLOCK, useValue: peerClock }] })
    class PeerModule {}
    peer = await NestFactory.create(PeerModule, { logger: false, abortOnError: false });
    await peer.listen(0, '127.0.0.1');
    peerUrl = await peer.getUrl();
  });
  after(() => peer?.close());

  it('serves its receive and send instants from its injected clock', async () => {
    const body = peerTimeResponseSchema.parse(await (await fetch(`${peerUrl}/time`)).json());
    const ahead = Date.parse(body.receivedAt) - Date.now();
    assert.ok(ahead > 19_000 && ahead <= 20_000, `peer answered ${ahead} ms ahead`);
    assert.ok(Date.parse(body.sentAt) >= Date.parse(body.receivedAt));
  });

  it('measures the peer 20 s ahead, within the error bound of its best exchange', async () => {
    const estimate = await new PeerClockProbe('billing', peerUrl, new SystemClock()).measure();
    // ISO instants carry milliseconds, so allow 1 ms of rounding on top of the network bound.
    assert.ok(Math.abs(estimate.offsetMs - 20_000) <= estimate.errorBoundMs + 1, JSON.stringify(estimate));
  });

  it('exports clock_skew_seconds{peer} and turns readiness red past half the 30 s tolerance', async () => {
    const registry = new Registry();
    const monitor = new PeerSkewMonitor([new PeerClockProbe('billing', peerUrl, new SystemClock())], registry, 15_000);
    await monitor.probeAll();
    assert.match(await registry.metrics(), /clock_skew_seconds\{peer="billing"\} (19\.9|20\.0)/);
    assert.equal(monitor.readiness().status, 'down');
    assert.match(monitor.readiness().detail, /^clock skew beyond 15 s: billing is (19\.9\d{0,2}|20(\.00\d)?) s ahead/);

    peerClock.setSkew(14_000);
    try {
      await monitor.probeAll();
      assert.equal(monitor.readiness().status, 'up');
    } finally {
      peerClock.setSkew(20_000);
    }
  });

  it('reports an unreachable peer by name and drops its metric rather than export a stale skew', async () => {
    const registry = new Registry();
    const gone = new PeerClockProbe('notifications', 'http://127.0.0.1:9', new SystemClock(), { exchanges: 1, timeoutMs: 500 });
    await assert.rejects(gone.measure(), PeerClockUnreachableError);
    const monitor = new PeerSkewMonitor([gone], registry, 15_000);
    await monitor.probeAll();
    assert.doesNotMatch(await registry.metrics(), /clock_skew_seconds\{/);
    assert.match(JSON.stringify(monitor.readiness().peers), /cannot read notifications's clock/);
  });
});

import type { Gauge, Registry } from 'prom-client';
import { clockSkewGauge } from './clock-skew-gauge.js';
import type { PeerClockProbe } from './peer-clock-probe.js';
import { skewWithin, type PeerSkew, type SkewReadiness } from './skew-readiness.js';

/**
 * Probes every peer's clock, exports the offsets and answers readiness (article 2). Scheduling is
 * the caller's (`start`/`stop`), so tests drive `probeAll()` directly.
 */
export class PeerSkewMonitor {
  private readonly gauge: Gauge<'peer'>;
  private readonly latest = new Map<string, PeerSkew>();
  private readonly check: (peers: ReadonlyMap<string, PeerSkew>) => SkewReadiness;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly probes: readonly PeerClockProbe[],
    registry: Registry,
    /** Half the token clock tolerance; see `skewWithin`. */
    maxSkewMs: number,
  ) {
    this.gauge = clockSkewGauge(registry);
    this.check = skewWithin(maxSkewMs);
  }

  async probeAll(): Promise<void> {
    await Promise.all(
      this.probes.map(async (probe) => {
        try {
          const estimate = await probe.measure();
          this.latest.set(probe.peer, estimate);
          this.gauge.set({ peer: probe.peer }, estimate.offsetMs / 1_000);
        } catch (error) {
          // Unknown is not zero: drop the series rather than export a stale offset.
          this.latest.set(probe.peer, { error: error instanceof Error ? error.message : String(error) });
          this.gauge.remove({ peer: probe.peer });
        }
      }),
    );
  }

  readiness(): SkewReadiness {
    return this.check(this.latest);
  }

  start(intervalMs: number): void {
    this.stop();
    void this.probeAll();
    this.timer = setInterval(() => void this.probeAll(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

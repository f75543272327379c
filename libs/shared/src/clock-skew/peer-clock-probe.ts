import type { Clock } from '../clock/index.js';
import { estimateOffset, type ClockExchange, type OffsetEstimate } from './offset-estimate.js';
import { PEER_TIME_PATH, peerTimeResponseSchema } from './peer-time.js';

/**
 * - `exchanges` 4: the min-delay filter needs a few samples to find one quiet round trip; four
 *   requests every probe interval cost nothing.
 * - `timeoutMs` 1 s: an exchange slower than that bounds the offset only to ±0.5 s or worse, and a
 *   probe must never stall the monitor.
 */
export interface PeerClockProbeSettings {
  exchanges: number;
  timeoutMs: number;
}

export const DEFAULT_PEER_CLOCK_PROBE_SETTINGS: PeerClockProbeSettings = { exchanges: 4, timeoutMs: 1_000 };

/** A peer's time endpoint could not be read; its skew is unknown, not zero. */
export class PeerClockUnreachableError extends Error {
  constructor(peer: string, url: string, cause: unknown) {
    super(
      `cannot read ${peer}'s clock at ${url}: ${cause instanceof Error ? cause.message : String(cause)} — ` +
        `is ${peer} running and serving GET ${PEER_TIME_PATH}?`,
      { cause },
    );
    this.name = 'PeerClockUnreachableError';
  }
}

/**
 * Measures how far a peer's clock is from this service's, NTP-style, over HTTP (article 2). The
 * local send and receive instants come from the injected clock, so a skewed service sees its own
 * skew; the round trip itself is timed on the monotonic clock, so a wall-clock step during the
 * exchange cannot produce a negative or inflated delay.
 */
export class PeerClockProbe {
  private readonly url: string;

  constructor(
    readonly peer: string,
    baseUrl: string,
    private readonly clock: Clock,
    private readonly settings: PeerClockProbeSettings = DEFAULT_PEER_CLOCK_PROBE_SETTINGS,
  ) {
    this.url = new URL(PEER_TIME_PATH, baseUrl).href;
  }

  async measure(): Promise<OffsetEstimate> {
    const samples: ClockExchange[] = [];
    for (let i = 0; i < this.settings.exchanges; i++) samples.push(await this.exchange());
    return estimateOffset(samples);
  }

  private async exchange(): Promise<ClockExchange> {
    const t0 = this.clock.now().getTime();
    const sentAtMonotonic = this.clock.monotonicMs();
    try {
      const response = await fetch(this.url, { signal: AbortSignal.timeout(this.settings.timeoutMs) });
      if (!response.ok) throw new Error(`answered HTTP ${response.status}`);
      const body = peerTimeResponseSchema.parse(await response.json());
      const t3 = t0 + (this.clock.monotonicMs() - sentAtMonotonic);
      return { t0, t1: Date.parse(body.receivedAt), t2: Date.parse(body.sentAt), t3 };
    } catch (error) {
      throw new PeerClockUnreachableError(this.peer, this.url, error);
    }
  }
}

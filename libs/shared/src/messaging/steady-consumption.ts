import type { Clock } from '../clock/index.js';

/**
 * A fetch that returns later than this means the consumer stopped fetching for a while: kafkajs
 * answers an idle fetch after at most 5 s (`maxWaitTimeInMs`), so twice that is a broker away, a
 * group rejoining, or a batch stuck on its database.
 */
export const FETCH_STALL_MS = 10_000;

/**
 * How long a consumer has been fetching without a break. The ordering guard's hold bound counts
 * only this time: a held event's predecessor can only arrive while the consumer fetches (from its
 * topic or from a retry topic), so a gap must not expire during a broker outage or a rejoin that
 * kept it from arriving, only after the bound has passed with the consumer able to receive it.
 */
export class SteadyConsumption {
  private since?: number;
  private lastFetch?: number;

  constructor(
    private readonly clock: Clock,
    private readonly stallMs = FETCH_STALL_MS,
  ) {}

  /** A fetch completed (kafkajs' FETCH event), empty or not. */
  fetched(): void {
    const now = this.clock.monotonicMs();
    if (!this.steadyAt(now)) this.since = now;
    this.lastFetch = now;
  }

  /** The consumer stopped or crashed: whatever comes next starts a new run. */
  interrupted(): void {
    this.since = undefined;
    this.lastFetch = undefined;
  }

  /** Milliseconds of unbroken fetching up to now; 0 while the consumer is stalled or stopped. */
  steadyForMs(): number {
    const now = this.clock.monotonicMs();
    return this.steadyAt(now) && this.since !== undefined ? now - this.since : 0;
  }

  private steadyAt(now: number): boolean {
    return this.lastFetch !== undefined && now - this.lastFetch <= this.stallMs;
  }
}

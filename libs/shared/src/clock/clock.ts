/**
 * Time is a dependency. Nothing in Faultline reads the wall clock directly: it asks a Clock, so tests
 * can fix time and the workshop can skew one service's clock (article 2) without touching the others.
 * Temporal workflows are the exception: they use Temporal's deterministic time.
 */
export interface Clock {
  /** The current instant, as this service believes it (wall clock plus any configured skew). */
  now(): Date;
  /**
   * Milliseconds from an arbitrary origin that never jumps backwards. Measure durations with this,
   * never with differences of `now()`, which move when NTP or the workshop adjusts the wall clock.
   */
  monotonicMs(): number;
}

/** The Nest injection token for the service's clock. */
export const CLOCK = Symbol.for('faultline.Clock');

/** The machine's clock. */
export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }

  monotonicMs(): number {
    return performance.now();
  }
}

/**
 * A clock that runs `offsetMs` ahead of (positive) or behind (negative) another one: how the
 * workshop simulates a server whose clock has drifted. The monotonic clock is not skewed, because
 * real drift does not change how long things take.
 */
export class SkewedClock implements Clock {
  constructor(
    private readonly base: Clock,
    private offsetMs: number,
  ) {}

  get skewMs(): number {
    return this.offsetMs;
  }

  setSkew(offsetMs: number): void {
    this.offsetMs = offsetMs;
  }

  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }

  monotonicMs(): number {
    return this.base.monotonicMs();
  }
}

/** A clock that moves only when told to: for unit tests of time-dependent logic. */
export class ManualClock implements Clock {
  private monotonic = 0;

  constructor(private current: Date) {}

  now(): Date {
    return new Date(this.current.getTime());
  }

  monotonicMs(): number {
    return this.monotonic;
  }

  advance(ms: number): void {
    if (ms < 0) throw new RangeError('ManualClock.advance: time only moves forward; use set() to jump');
    this.current = new Date(this.current.getTime() + ms);
    this.monotonic += ms;
  }

  set(instant: Date): void {
    this.current = new Date(instant.getTime());
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT_CONTEXT, context } from '@opentelemetry/api';

/**
 * Work a service runs beside its request handling (the outbox relay, the projector, the e-mail
 * sender): started once, and stopped by aborting its signal and waiting for the pass in hand, so it
 * never outlives the database or Kafka connection it uses. Stop it from `onModuleDestroy`, which Nest
 * runs before it closes those connections.
 *
 * The body runs in the empty trace context (ROOT_CONTEXT), whoever starts it: a loop started from
 * within a request would otherwise put every pass into that request's trace, and with no span
 * active its polling queries make no spans at all (pg is traced only under a parent span).
 */
export class BackgroundLoop {
  private stopping?: AbortController;
  private running?: Promise<void>;

  constructor(private readonly body: (signal: AbortSignal) => Promise<void>) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Starts the body unless it runs already. */
  start(): void {
    if (this.running) return;
    this.stopping = new AbortController();
    const { signal } = this.stopping;
    this.running = context.with(ROOT_CONTEXT, () => this.body(signal));
  }

  /** Aborts the signal and waits for the body to return. */
  async stop(): Promise<void> {
    this.stopping?.abort();
    await this.running;
    this.running = undefined;
  }
}

const FIRST_RETRY_PAUSE_MS = 200;
const MAX_RETRY_PAUSE_MS = 5_000;

/**
 * How long a loop pauses after its `failures`-th failed pass in a row: 200 ms, doubling up to 5 s,
 * so an outage of PostgreSQL or Kafka is retried promptly without being hammered; 0 before a failure.
 */
export function retryPauseMs(failures: number): number {
  return failures > 0 ? Math.min(FIRST_RETRY_PAUSE_MS * 2 ** (failures - 1), MAX_RETRY_PAUSE_MS) : 0;
}

/** Waits `ms`, or less when `signal` aborts first; never throws, so a loop's `while` checks the signal next. */
export async function pauseUnlessStopped(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

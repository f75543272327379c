import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Work a service runs beside its request handling (the outbox relay, the projector, the e-mail
 * sender): started once, and stopped by aborting its signal and waiting for the pass in hand, so it
 * never outlives the database or Kafka connection it uses. Stop it from `onModuleDestroy`, which Nest
 * runs before it closes those connections.
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
    this.running = this.body(this.stopping.signal);
  }

  /** Aborts the signal and waits for the body to return. */
  async stop(): Promise<void> {
    this.stopping?.abort();
    await this.running;
    this.running = undefined;
  }
}

/** Waits `ms`, or less when `signal` aborts first; never throws, so a loop's `while` checks the signal next. */
export async function pauseUnlessStopped(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

import type { OnApplicationShutdown } from '@nestjs/common';

/**
 * How long a stop waits for the last spans. The exporter retries a collector that refuses for up
 * to 10 s; a stopping service, a test or a script must not wait on Jaeger being up.
 */
const FLUSH_DEADLINE_MS = 1_500;

let flushQueued: (() => Promise<void>) | undefined;
let flushing: Promise<unknown> = Promise.resolve();

/** Set by startTracing: what flushSpans runs. */
export function registerSpanFlush(flush: () => Promise<void>): void {
  flushQueued = flush;
}

/**
 * Sends the spans still queued, waiting FLUSH_DEADLINE_MS at most; resolves at once with tracing
 * off. Flushes run one after another: a second one finds the queue already emptied by the first
 * and would resolve while that first export is still on the wire.
 */
export function flushSpans(): Promise<void> {
  const flush = flushQueued;
  if (!flush) return Promise.resolve();
  flushing = flushing.then(flush).catch(() => undefined);
  return within(flushing);
}

/**
 * NestJS runs the shutdown hooks after its HTTP server has closed and the requests in flight have
 * finished, and exits the process right after them (enableShutdownHooks with useProcessExit): the
 * last moment every span of the last requests has ended and can still be sent.
 */
export class FlushSpansOnShutdown implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return flushSpans();
  }
}

/** Resolves when `work` settles or after `ms`, whichever is first; never rejects. */
export async function within(work: Promise<unknown>, ms: number = FLUSH_DEADLINE_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([work.catch(() => undefined), deadline]);
  clearTimeout(timer);
}

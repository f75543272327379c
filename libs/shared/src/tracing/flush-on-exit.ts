import { within } from './span-flush.js';

/**
 * Sends the spans still queued when the process stops, without taking over how it stops. On
 * SIGTERM/SIGINT with other handlers registered, the stop is theirs: a service's (runService, then
 * NestJS, which closes the app, runs FlushSpansOnShutdown and calls process.exit) flushes once its
 * last request has ended. With no other handler it shuts the SDK down and raises the signal again,
 * so the process still ends by it. On a natural exit (beforeExit: tests, scripts) it shuts down,
 * then exits with the code the process had.
 */
export function flushOnExit(shutdown: () => Promise<void>): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      if (process.listenerCount(signal) > 0) return;
      void within(shutdown()).then(() => process.kill(process.pid, signal));
    });
  }
  process.once('beforeExit', () => {
    void within(shutdown()).then(() => process.exit());
  });
}

import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Producer } from 'kafkajs';
import type { Page } from 'playwright-core';
import { launchChromium } from '@faultline/shared/browser';
import { OrderEventStream, ServiceProcess } from '@faultline/shared/testing';
import type { Benchmark, BenchmarkOutcome, BenchmarkRun } from './benchmark.js';
import { startProbe, stopProbe, type PageProbe } from './console-page-probe.js';
import type { Figure } from './figures.js';
import { percentile, ratePerSecond } from './statistics.js';

/** The load the issue names, and the quiet page it is compared with (a few orders a second). */
const LOAD_PER_SECOND = 1_000;
const QUIET_PER_SECOND = 10;
/** How often the generator sends what is due. */
const TICK_MS = 20;
/** After the last event, the page has this long to show it before the phase's readings are taken. */
const TAIL_MS = 2_000;
const PARTITIONS = 3;

interface PhaseReading extends PageProbe {
  offered: number;
  /** Events the page counted (`data-seen`) during the phase, listed or not. */
  seen: number;
  seconds: number;
  loadAverage: number;
}

/**
 * The workshop console's page while its event topic carries 1,000 events/s, in a real browser
 * (Debian's Chromium through Playwright), against the same page at 10 events/s in the same run: how
 * long its frames take (does it stay responsive?), how stale the newest event it shows is at each
 * update, and whether it counts every event. The console reads a topic of the run's own
 * (CONSOLE_EVENT_TOPICS), so no service consumes the load.
 */
export const consoleResponsiveness: Benchmark = {
  name: 'console-responsiveness',
  measures: `the console's page at ${LOAD_PER_SECOND.toLocaleString('en-US')} events/s in Chromium: frame interval, staleness of what it shows, events counted; against the same page at ${QUIET_PER_SECOND} events/s`,
  async run({ bench, quick, log }: BenchmarkRun): Promise<BenchmarkOutcome> {
    const seconds = quick ? 5 : 20;
    const topic = await bench.createTopic('console-flow', PARTITIONS);
    const consoleProcess = await ServiceProcess.start({
      app: 'console',
      port: 'free',
      env: (free) => ({ CONSOLE_HTTP_PORT: String(free), CONSOLE_EVENT_TOPICS: topic, OTEL_SDK_DISABLED: 'true' }),
      logName: 'bench-console',
    });
    const browser = await launchChromium();
    const producer = bench.kafka.producer();
    await producer.connect();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      await page.goto(consoleProcess.url);
      await page.getByTestId('flow-status').filter({ hasText: `reading ${topic}` }).waitFor({ timeout: 60_000 });
      // A first event, so the list exists before the probe watches it.
      await send(producer, topic, 1);
      await page.locator('.flow tbody tr').first().waitFor({ timeout: 30_000 });

      const quiet = await phase(page, producer, topic, QUIET_PER_SECOND, seconds);
      log(describe('quiet', QUIET_PER_SECOND, quiet));
      const loaded = await phase(page, producer, topic, LOAD_PER_SECOND, seconds);
      log(describe('loaded', LOAD_PER_SECOND, loaded));

      const figures: Figure[] = [
        {
          name: `console page frame interval p95 at ${LOAD_PER_SECOND} events/s`,
          unit: 'ms',
          ours: percentile(loaded.frameIntervalsMs, 0.95),
          baseline: percentile(quiet.frameIntervalsMs, 0.95),
          baselineName: `the same page at ${QUIET_PER_SECOND} events/s`,
          target: { kind: 'ratio-at-most', value: 3 },
        },
        {
          name: `console page staleness p95 at ${LOAD_PER_SECOND} events/s`,
          unit: 'ms',
          ours: percentile(loaded.stalenessMs, 0.95),
          baseline: percentile(quiet.stalenessMs, 0.95),
          baselineName: `the same page at ${QUIET_PER_SECOND} events/s`,
          target: { kind: 'ratio-at-most', value: 2 },
        },
        {
          name: `console page events counted at ${LOAD_PER_SECOND} events/s`,
          unit: 'events/s',
          ours: ratePerSecond(loaded.seen, loaded.seconds * 1_000),
          baseline: ratePerSecond(loaded.offered, loaded.seconds * 1_000),
          baselineName: 'events offered',
          target: { kind: 'ratio-at-least', value: 0.95 },
        },
      ];
      return {
        figures,
        settings: {
          seconds,
          partitions: PARTITIONS,
          loads: [QUIET_PER_SECOND, LOAD_PER_SECOND],
          browser: 'Debian chromium, headless, 1280×900',
          longTasks: { quiet: quiet.longTasks, loaded: loaded.longTasks },
          loadAverage: { quiet: quiet.loadAverage, loaded: loaded.loadAverage },
        },
      };
    } finally {
      await producer.disconnect();
      await browser.close();
      await consoleProcess.stop();
    }
  },
};

function describe(label: string, perSecond: number, reading: PhaseReading): string {
  const p = (values: number[], fraction: number) => (values.length ? percentile(values, fraction).toFixed(1) : '—');
  return (
    `  ${label} (${perSecond} events/s offered, ${reading.offered} sent, load average ${reading.loadAverage}): ` +
    `frames p50 ${p(reading.frameIntervalsMs, 0.5)} ms p95 ${p(reading.frameIntervalsMs, 0.95)} ms max ${p(reading.frameIntervalsMs, 1)} ms, ` +
    `${reading.longTasks} long tasks; staleness p50 ${p(reading.stalenessMs, 0.5)} ms p95 ${p(reading.stalenessMs, 0.95)} ms over ${reading.stalenessMs.length} updates; ` +
    `counted ${reading.seen} of ${reading.offered}`
  );
}

/** Offers `perSecond` events for `seconds` while the page's probe records, then reads it back. */
async function phase(page: Page, producer: Producer, topic: string, perSecond: number, seconds: number): Promise<PhaseReading> {
  const seenBefore = await seenOnPage(page);
  const loadAverage = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  await page.evaluate(startProbe);
  const started = performance.now();
  let offered = 0;
  while (performance.now() - started < seconds * 1_000) {
    const due = Math.floor(((performance.now() - started) / 1_000) * perSecond) - offered;
    if (due > 0) {
      await send(producer, topic, due);
      offered += due;
    }
    await sleep(TICK_MS);
  }
  await sleep(TAIL_MS);
  const probe = await page.evaluate(stopProbe);
  return { ...probe, offered, seen: (await seenOnPage(page)) - seenBefore, seconds, loadAverage };
}

async function seenOnPage(page: Page): Promise<number> {
  return Number(await page.getByTestId('flow-status').getAttribute('data-seen'));
}

/** `count` order-placed events, each for an order of its own, as orders' relay would publish them. */
async function send(producer: Producer, topic: string, count: number): Promise<void> {
  const placedAt = new Date().toISOString();
  const messages = Array.from({ length: count }, () => {
    const orderId = randomUUID();
    const event = new OrderEventStream({
      orderId,
      customerId: randomUUID(),
      total: { amountMinor: 1_250, currency: 'EUR' },
      correlationId: `bench-console-${orderId}`,
      causationId: 'bench-console',
    }).placed(placedAt);
    return { key: orderId, value: JSON.stringify(event) };
  });
  await producer.send({ topic, messages });
}

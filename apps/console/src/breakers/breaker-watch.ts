import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { BreakerView, BreakersView } from '../console-api.js';
import { ServiceMetrics } from '../service-metrics/service-metrics.js';
import { BreakerHistory, breakerViews } from './breaker-history.js';

/** How often the services' breakers are looked at: an open breaker lasts its half-open delay (seconds), so each shows. */
const LOOK_EVERY_MS = 1_000;

/**
 * Article 1: every running service's circuit breakers, looked at once a second whether or not a page
 * is open, so the transitions of a scenario's short-lived billing are seen and kept after it stops.
 */
@Injectable()
export class BreakerWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly history = new BreakerHistory();
  private breakers: BreakerView[] = [];
  private timer?: NodeJS.Timeout;

  constructor(private readonly metrics: ServiceMetrics) {}

  view(): BreakersView {
    return { breakers: this.breakers, transitions: this.history.recent() };
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.look(), LOOK_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async look(): Promise<void> {
    const { scraped, problems } = await this.metrics.scrape();
    const now = new Date();
    for (const { service, text } of scraped) this.history.observe(now, service, text);
    for (const { service } of problems) this.history.forget(service);
    this.breakers = scraped.flatMap(({ service, text }) => breakerViews(service, text));
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { ConsoleSettings } from '../config.js';
import { CONSOLE_SETTINGS } from '../console-tokens.js';

/** A scrape this young is answered again as it is: every panel, every open page and the breaker watch (once a second) share one. */
const SCRAPE_REUSED_FOR_MS = 900;
/** A service's /metrics answers within this, or it is left out of this scrape, saying why. */
const SCRAPE_TIMEOUT_MS = 1_500;

export interface ServiceScrape {
  /** Each service that answered, with its /metrics text. */
  scraped: { service: string; text: string }[];
  /** Each one that did not, and why. */
  problems: { service: string; problem: string }[];
}

/** Every service's /metrics, read as Prometheus reads it, at most once a second whatever asks. */
@Injectable()
export class ServiceMetrics {
  private latest?: { at: number; scrape: Promise<ServiceScrape> };

  constructor(@Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings) {}

  scrape(): Promise<ServiceScrape> {
    const now = Date.now();
    if (!this.latest || now - this.latest.at > SCRAPE_REUSED_FOR_MS) this.latest = { at: now, scrape: this.scrapeNow() };
    return this.latest.scrape;
  }

  private async scrapeNow(): Promise<ServiceScrape> {
    const results = await Promise.all(
      this.settings.services.map(async ({ name, url }): Promise<{ service: string; text: string } | { service: string; problem: string }> => {
        try {
          const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS) });
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          return { service: name, text: await response.text() };
        } catch (error) {
          return { service: name, problem: `${url}/metrics: ${(error as Error).message}` };
        }
      }),
    );
    return {
      scraped: results.flatMap((result) => ('text' in result ? [result] : [])),
      problems: results.flatMap((result) => ('problem' in result ? [result] : [])),
    };
  }
}

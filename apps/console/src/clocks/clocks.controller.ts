import type { IncomingMessage } from 'node:http';
import { Body, Controller, Get, Inject, Param, Put, Req } from '@nestjs/common';
import { z } from 'zod';
import { SystemClock } from '@faultline/shared/clock';
import { PeerClockProbe } from '@faultline/shared/clock-skew';
import { ProblemDetailsException, ProblemType } from '@faultline/shared/problem-details';
import type { ConsoleSettings } from '../config.js';
import type { ClocksView, ServiceClockView } from '../console-api.js';
import { CONSOLE_SETTINGS } from '../console-tokens.js';
import { requireChangeAllowed } from '../fault-switches/change-guard.js';
import { metricSamples } from '../service-metrics/metric-samples.js';
import { ServiceMetrics } from '../service-metrics/service-metrics.js';

/** A service's admin clock answers within this. */
const ADMIN_TIMEOUT_MS = 2_000;
/** As the services' own switch allows: one day either way. */
const MAX_SKEW_MS = 24 * 60 * 60 * 1_000;
const skewChange = z.strictObject({ skewMs: z.int().min(-MAX_SKEW_MS).max(MAX_SKEW_MS) });

/**
 * Article 2: every service's clock against the console's (measured NTP-style over its public
 * GET /time, as the services measure each other), the skew the workshop set on it, and how far
 * ahead it sees its peers (`clock_skew_seconds`); in workshop mode, the switch that skews a
 * service's clock (its own PUT /admin/clock, mounted only when the service runs in workshop mode).
 */
@Controller('api/clocks')
export class ClocksController {
  private readonly clock = new SystemClock();

  constructor(
    private readonly metrics: ServiceMetrics,
    @Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings,
  ) {}

  @Get()
  async view(): Promise<ClocksView> {
    const { scraped } = await this.metrics.scrape();
    const services = await Promise.all(
      this.settings.services.map(async ({ name, url }): Promise<ServiceClockView> => {
        const text = scraped.find((entry) => entry.service === name)?.text ?? '';
        const peersAheadSeconds = Object.fromEntries(metricSamples(text, 'clock_skew_seconds').map(({ labels, value }) => [labels.peer ?? '', value]));
        try {
          const { offsetMs, errorBoundMs } = await new PeerClockProbe(name, url, this.clock).measure();
          // Only a workshop console asks for the skew switch: a read-only one would fill every service's log with 404s.
          const skewMs = this.settings.workshopMode ? await this.skewOf(url) : undefined;
          return { service: name, offsetMs: Math.round(offsetMs), errorBoundMs: Math.round(errorBoundMs), skewMs, peersAheadSeconds };
        } catch (error) {
          return { service: name, peersAheadSeconds, problem: (error as Error).message };
        }
      }),
    );
    return { services };
  }

  /** Workshop mode only: skews the service's clock by `skewMs` (0 puts it back on true time). */
  @Put(':service')
  async skew(@Param('service') service: string, @Body() body: unknown, @Req() request: IncomingMessage): Promise<{ service: string; skewMs: number }> {
    requireChangeAllowed(this.settings, request);
    const parsed = skewChange.safeParse(body);
    if (!parsed.success) {
      throw new ProblemDetailsException({ type: ProblemType.validation, title: 'Request validation failed', status: 400, detail: 'the body is {"skewMs": <integer, at most a day either way>}' });
    }
    const target = this.settings.services.find((candidate) => candidate.name === service);
    if (!target) throw ProblemDetailsException.notFound(`no service named ${JSON.stringify(service.slice(0, 40))}`);
    const answer = await fetch(`${target.url}/admin/clock`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(parsed.data),
      signal: AbortSignal.timeout(ADMIN_TIMEOUT_MS),
    }).catch((error: Error) => error);
    if (answer instanceof Error) {
      throw new ProblemDetailsException({ type: ProblemType.dependencyUnavailable, title: `${service} did not answer`, status: 502, detail: `${target.url}/admin/clock: ${answer.message}` });
    }
    if (answer.status === 404) {
      throw new ProblemDetailsException({
        type: ProblemType.plain,
        title: 'Conflict',
        status: 409,
        detail: `${service} runs without FAULTLINE_WORKSHOP_MODE=true: its clock cannot be skewed`,
      });
    }
    if (!answer.ok) throw new ProblemDetailsException({ type: ProblemType.dependencyUnavailable, title: `${service} refused`, status: 502, detail: `${target.url}/admin/clock answered HTTP ${answer.status}` });
    return { service, skewMs: ((await answer.json()) as { skewMs: number }).skewMs };
  }

  /** The skew set on the service, or null when it has no admin clock (it does not run in workshop mode). */
  private async skewOf(url: string): Promise<number | null | undefined> {
    const answer = await fetch(`${url}/admin/clock`, { signal: AbortSignal.timeout(ADMIN_TIMEOUT_MS) }).catch(() => undefined);
    if (!answer) return undefined;
    if (!answer.ok) return null;
    return ((await answer.json()) as { skewMs: number }).skewMs;
  }
}

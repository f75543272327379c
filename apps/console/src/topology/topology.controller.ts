import { Controller, Get, Inject } from '@nestjs/common';
import type { ConsoleSettings } from '../config.js';
import { CONSOLE_SETTINGS } from '../console-tokens.js';
import type { TopologyView } from '../console-api.js';
import { EventFlow } from '../event-flow/event-flow.js';
import { linkViews, probePart } from './infrastructure.js';
import { probeReadiness } from './service-readiness.js';

@Controller('api/topology')
export class TopologyController {
  constructor(
    @Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings,
    private readonly flow: EventFlow,
  ) {}

  /** Each service's readiness and each part of the infrastructure, asked now; Toxiproxy's links; whether the event topics are read; the mode. */
  @Get()
  async view(): Promise<TopologyView> {
    const [services, infrastructure, links] = await Promise.all([
      Promise.all(this.settings.services.map(probeReadiness)),
      Promise.all(this.settings.infrastructure.map(probePart)),
      this.links(),
    ]);
    return {
      services,
      infrastructure,
      ...links,
      eventFlow: this.flow.status(),
      workshopMode: this.settings.workshopMode,
      jaegerUrl: this.settings.jaegerUrl,
      checkedAt: new Date().toISOString(),
    };
  }

  private async links(): Promise<Pick<TopologyView, 'links' | 'linksProblem'>> {
    try {
      const response = await fetch(`${this.settings.toxiproxyUrl}/proxies`, { signal: AbortSignal.timeout(1_500) });
      if (!response.ok) return { links: [], linksProblem: `Toxiproxy answered HTTP ${response.status}` };
      return { links: linkViews((await response.json()) as Parameters<typeof linkViews>[0]) };
    } catch (error) {
      return { links: [], linksProblem: `Toxiproxy at ${this.settings.toxiproxyUrl} did not answer (${(error as Error).message})` };
    }
  }
}

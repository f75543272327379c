import { Controller, Get, Inject } from '@nestjs/common';
import type { ConsoleSettings } from '../config.js';
import { CONSOLE_SETTINGS } from '../console-tokens.js';
import type { TopologyView } from '../console-api.js';
import { EventFlow } from '../event-flow/event-flow.js';
import { probeReadiness } from './service-readiness.js';

@Controller('api/topology')
export class TopologyController {
  constructor(
    @Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings,
    private readonly flow: EventFlow,
  ) {}

  /** Each service's readiness, asked now; whether the event topics are being read; the console's mode. */
  @Get()
  async view(): Promise<TopologyView> {
    const services = await Promise.all(this.settings.services.map(probeReadiness));
    return { services, eventFlow: this.flow.status(), workshopMode: this.settings.workshopMode, jaegerUrl: this.settings.jaegerUrl, checkedAt: new Date().toISOString() };
  }
}

import { Controller, Get } from '@nestjs/common';
import type { ServiceSignals, SignalsView } from '../console-api.js';
import { ServiceMetrics } from '../service-metrics/service-metrics.js';
import { serviceSignals } from './service-signals.js';

@Controller('api/signals')
export class SignalsController {
  constructor(private readonly metrics: ServiceMetrics) {}

  /** Held events, projection lag and outbox backlogs of the running services. */
  @Get()
  async view(): Promise<SignalsView> {
    const { scraped } = await this.metrics.scrape();
    return {
      services: scraped.flatMap(({ service, text }): ServiceSignals[] => {
        const signals = serviceSignals(service, text);
        return signals ? [signals] : [];
      }),
    };
  }
}

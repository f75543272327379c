import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { prometheusContentType } from 'prom-client';
import { Access } from '../access-control/access.decorator.js';
import { ServiceMetrics } from './service-metrics.js';

@ApiTags('operations')
@Access.public('scraped by Prometheus, which carries no user token')
@Controller()
export class MetricsController {
  constructor(private readonly metrics: ServiceMetrics) {}

  @Get('metrics')
  @Header('Content-Type', prometheusContentType)
  @ApiOkResponse({ description: 'Prometheus text exposition of this process', content: { 'text/plain': {} } })
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ProviderStats, type ProviderStatsView } from './provider-stats.js';

const count = z.int().min(0);
export const providerStatsView = z
  .object({
    requestsReceived: count,
    byOperation: z.object({ authorize: count, capture: count, void: count, refund: count, lookup: count }),
  })
  .meta({ id: 'ProviderStats' });

@ApiTags('admin')
@Controller('admin/stats')
export class StatsController {
  constructor(private readonly stats: ProviderStats) {}

  @Get()
  @ApiOkResponse({ description: 'Every /v1 request that reached the provider since start (or the last reset), by operation', standardSchema: providerStatsView })
  read(): ProviderStatsView {
    return this.stats.snapshot();
  }

  @Post('reset')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The counts, back to zero (the Prometheus counters on /metrics keep counting)', standardSchema: providerStatsView })
  reset(): ProviderStatsView {
    return this.stats.reset();
  }
}

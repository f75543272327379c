import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ProviderStats, REMEMBERED_AUTHORIZE_KEYS, type ProviderStatsView } from './provider-stats.js';

const count = z.int().min(0);
export const providerStatsView = z
  .object({
    requestsReceived: count,
    byOperation: z.object({ authorize: count, capture: count, void: count, refund: count, lookup: count }),
    authorizeRequestsByKey: z.record(z.string(), count).meta({
      description:
        `POST /v1/authorizations requests per Idempotency-Key, for the ${REMEMBERED_AUTHORIZE_KEYS} keys sent most recently ` +
        '(requests without a key are in byOperation only). A count of 2 or more is a retry that reached the provider.',
    }),
    faultsApplied: z
      .object({ latency: count, hang: count, error: count, decline: count, 'drop-response': count, 'corrupt-body': count })
      .meta({ description: 'Requests an injected fault (PUT /admin/faults) delayed, hung, failed, declined, cut or corrupted' }),
  })
  .meta({ id: 'ProviderStats' });

@ApiTags('admin')
@Controller('admin/stats')
export class StatsController {
  constructor(private readonly stats: ProviderStats) {}

  @Get()
  @ApiOkResponse({
    description: 'Every /v1 request that reached the provider since start (or the last reset): by operation, authorize requests by key, and the faults applied',
    standardSchema: providerStatsView,
  })
  read(): ProviderStatsView {
    return this.stats.snapshot();
  }

  @Post('reset')
  @HttpCode(200)
  @ApiOkResponse({ description: 'The counts, back to zero and the keys forgotten (the Prometheus counters on /metrics keep counting)', standardSchema: providerStatsView })
  reset(): ProviderStatsView {
    return this.stats.reset();
  }
}

import { Controller, Get } from '@nestjs/common';
import type { BillingRunsView } from '../console-api.js';
import { BillingRunsWatch } from './billing-runs-watch.js';

@Controller('api/billing-runs')
export class BillingRunsController {
  constructor(private readonly runs: BillingRunsWatch) {}

  /** The daily billing runs due next, per customer time zone, from Temporal. */
  @Get()
  view(): Promise<BillingRunsView> {
    return this.runs.view();
  }
}

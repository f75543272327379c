import { Controller, Get } from '@nestjs/common';
import type { BreakersView } from '../console-api.js';
import { BreakerWatch } from './breaker-watch.js';

@Controller('api/breakers')
export class BreakersController {
  constructor(private readonly breakers: BreakerWatch) {}

  /** Each running service's breakers per dependency, and the transitions seen lately. */
  @Get()
  view(): BreakersView {
    return this.breakers.view();
  }
}

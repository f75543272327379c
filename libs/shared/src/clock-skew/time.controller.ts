import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../access-control/access.decorator.js';
import { CLOCK, type Clock } from '../clock/index.js';
import type { PeerTimeResponse } from './peer-time.js';

/** Answers peers' clock probes (article 2) with this service's idea of now, skew included. */
@ApiTags('operations')
@Access.public('peers probe it without a token: they measure clocks, tokens depend on them')
@Controller()
export class TimeController {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  @Get('time')
  @ApiOkResponse({ description: 'When the probe arrived and when the answer left, by this service\'s clock' })
  time(): PeerTimeResponse {
    const receivedAt = this.clock.now().toISOString();
    return { receivedAt, sentAt: this.clock.now().toISOString() };
  }
}

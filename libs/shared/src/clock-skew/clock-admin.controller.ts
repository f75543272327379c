import { Body, Controller, Get, Inject, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Access } from '../access-control/access.decorator.js';
import { CLOCK, SkewedClock, type Clock } from '../clock/index.js';
import { ApiProblemResponse, ProblemDetailsException } from '../problem-details/index.js';

/** One day either way: enough for every article 2 demonstration, small enough to catch a typo in seconds. */
const MAX_SKEW_MS = 24 * 60 * 60 * 1_000;

const clockSkewRequest = z.object({ skewMs: z.int().min(-MAX_SKEW_MS).max(MAX_SKEW_MS) }).strict();
const clockState = z.object({ skewMs: z.int(), now: z.iso.datetime() });
type ClockState = z.infer<typeof clockState>;

/**
 * The workshop's clock switch (article 2): puts this service's clock `skewMs` ahead of (or behind)
 * the machine's at run time, so a scenario can skew one service while its peers keep true time.
 * Mounted only when the service started with FAULTLINE_WORKSHOP_MODE=true.
 *
 * Public on purpose (ADR 0011): a service skewed past the tolerance refuses every token, so a
 * token-protected switch could never be switched back — the very lock-out article 2 is about.
 */
@ApiTags('admin')
@Access.public('workshop mode only: a service skewed past the tolerance refuses every token, so the switch back needs none')
@Controller('admin/clock')
export class ClockAdminController {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  @Get()
  @ApiOkResponse({ description: "This service's skew and its idea of now", standardSchema: clockState })
  current(): ClockState {
    return { skewMs: this.skewable().skewMs, now: this.clock.now().toISOString() };
  }

  @Put()
  @ApiOkResponse({ description: 'The skew now in force', standardSchema: clockState })
  @ApiProblemResponse(400, 'skewMs is missing, not an integer, or beyond one day')
  set(@Body({ schema: clockSkewRequest }) { skewMs }: z.infer<typeof clockSkewRequest>): ClockState {
    this.skewable().setSkew(skewMs);
    return this.current();
  }

  private skewable(): SkewedClock {
    if (this.clock instanceof SkewedClock) return this.clock;
    throw new ProblemDetailsException({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'this service was not started with a skewable clock — start it through ServiceDefaultsModule',
    });
  }
}

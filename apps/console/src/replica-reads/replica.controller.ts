import type { IncomingMessage } from 'node:http';
import { Body, Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { z } from 'zod';
import { ReplicaReplayControl } from '@faultline/shared/consistency';
import { ProblemDetailsException, ProblemType } from '@faultline/shared/problem-details';
import type { ConsoleSettings } from '../config.js';
import type { ReplicaReadView, ReplicaView } from '../console-api.js';
import { CONSOLE_SETTINGS } from '../console-tokens.js';
import { requireChangeAllowed } from '../fault-switches/change-guard.js';
import { ServiceMetrics } from '../service-metrics/service-metrics.js';
import { replicaReadView } from './replica-read-views.js';

const replayChange = z.strictObject({ state: z.enum(['paused', 'replaying']) });

/**
 * Article 7: the streaming replica's lag and where each service's reads went, from the services'
 * /metrics; in workshop mode, the replica's replay state and the switch that pauses it (the lag on
 * demand the replica-lag scenario uses), as its superuser.
 */
@Controller('api/replica')
export class ReplicaController {
  private readonly replay?: ReplicaReplayControl;

  constructor(
    private readonly metrics: ServiceMetrics,
    @Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings,
  ) {
    if (settings.replicaReplay) this.replay = new ReplicaReplayControl(settings.replicaReplay);
  }

  @Get()
  async view(): Promise<ReplicaView> {
    const [{ scraped, problems }, replay] = await Promise.all([
      this.metrics.scrape(),
      this.replay?.state().then(
        (state) => ({ replay: state }),
        (error: Error) => ({ replayProblem: `the replica did not say whether it replays: ${error.message}` }),
      ),
    ]);
    const services = scraped.flatMap(({ service, text }): ReplicaReadView[] => {
      const view = replicaReadView(service, text);
      return view ? [view] : [];
    });
    return { ...replay, services, problems };
  }

  /** Workshop mode only: pauses WAL replay on the replica (its data freezes while the primary moves on), or resumes it. */
  @Post('replay')
  @HttpCode(200)
  async change(@Body() body: unknown, @Req() request: IncomingMessage): Promise<{ replay: string }> {
    requireChangeAllowed(this.settings, request);
    const parsed = replayChange.safeParse(body);
    if (!parsed.success) {
      throw new ProblemDetailsException({ type: ProblemType.validation, title: 'Request validation failed', status: 400, detail: 'the body is {"state": "paused"} or {"state": "replaying"}' });
    }
    const replay = this.replay;
    if (!replay) throw new Error('workshop mode without the replica superuser connection');
    try {
      if (parsed.data.state === 'paused') return { replay: await replay.pause() };
      await replay.resume();
      return { replay: await replay.state() };
    } catch (error) {
      throw new ProblemDetailsException({
        type: ProblemType.dependencyUnavailable,
        title: 'The replica did not answer',
        status: 502,
        detail: `pausing or resuming replay on the replica: ${(error as Error).message}`,
      });
    }
  }
}

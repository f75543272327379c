import type { IncomingMessage } from 'node:http';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { z } from 'zod';
import { ProblemDetailsException, ProblemType } from '@faultline/shared/problem-details';
import type { ConsoleSettings } from '../config.js';
import type { ScenarioRun, ScenariosView } from '../console-api.js';
import { CONSOLE_SETTINGS } from '../console-tokens.js';
import { requireChangeAllowed } from '../fault-switches/change-guard.js';
import { ScenarioRunRefused, ScenarioRunner } from './scenario-runner.js';

const runRequest = z.strictObject({ scenario: z.string().min(1).max(60), mode: z.enum(['naive', 'correct']) });

@Controller('api/scenarios')
export class ScenarioRunsController {
  constructor(
    private readonly runner: ScenarioRunner,
    @Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings,
  ) {}

  /** The scenarios, the runs so far, and the latest run with its narration. */
  @Get()
  view(): Promise<ScenariosView> {
    return this.runner.view();
  }

  @Get('runs/:id')
  run(@Param('id') id: string): ScenarioRun {
    const run = /^\d{1,9}$/.test(id) ? this.runner.run(Number(id)) : undefined;
    if (!run) throw ProblemDetailsException.notFound(`no scenario run ${JSON.stringify(id.slice(0, 20))} is kept`);
    return run;
  }

  /** Workshop mode only: stops the run in progress and the services it started (SIGTERM to its process group). */
  @Post('runs/:id/stop')
  @HttpCode(202)
  stop(@Param('id') id: string, @Req() request: IncomingMessage): ScenarioRun {
    requireChangeAllowed(this.settings, request);
    const run = this.run(id);
    if (!this.runner.stop(run.id)) throw new ProblemDetailsException({ type: ProblemType.plain, title: 'Conflict', status: 409, detail: `run ${run.id} already ended (${run.state})` });
    return run;
  }

  /** Workshop mode only: runs one scenario in one mode, as `npm run scenario` would. */
  @Post('runs')
  @HttpCode(202)
  async start(@Body() body: unknown, @Req() request: IncomingMessage): Promise<ScenarioRun> {
    requireChangeAllowed(this.settings, request);
    const parsed = runRequest.safeParse(body);
    if (!parsed.success) {
      throw new ProblemDetailsException({
        type: ProblemType.validation,
        title: 'Request validation failed',
        status: 400,
        detail: 'the body is {"scenario": "<name>", "mode": "naive" | "correct"}',
      });
    }
    try {
      return await this.runner.start(parsed.data.scenario, parsed.data.mode);
    } catch (error) {
      if (!(error instanceof ScenarioRunRefused)) throw error;
      throw new ProblemDetailsException({ type: ProblemType.plain, title: error.status === 409 ? 'Conflict' : 'Bad Request', status: error.status, detail: error.message });
    }
  }
}

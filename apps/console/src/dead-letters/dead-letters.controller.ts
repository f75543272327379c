import type { IncomingMessage } from 'node:http';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { z } from 'zod';
import { ProblemDetailsException, ProblemType } from '@faultline/shared/problem-details';
import type { ConsoleSettings } from '../config.js';
import type { DeadLettersView, RedriveResult } from '../console-api.js';
import { CONSOLE_SETTINGS } from '../console-tokens.js';
import { requireChangeAllowed } from '../fault-switches/change-guard.js';
import { DeadLetterWatch } from './dead-letter-watch.js';

/** A redrive of some dead letters (their ids, as the page lists them) or, without ids, of every one waiting. */
const redriveRequest = z.strictObject({ ids: z.array(z.string().regex(/^\d+$/, 'a dead letter id is its offset')).min(1).max(1_000).optional() });

@Controller('api/dead-letters')
export class DeadLettersController {
  constructor(
    private readonly deadLetters: DeadLetterWatch,
    @Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings,
  ) {}

  /** Each running consumer's dead-letter topic: depth, oldest age, the newest waiting letters. */
  @Get()
  view(): Promise<DeadLettersView> {
    return this.deadLetters.view();
  }

  /** Workshop mode only: sends waiting dead letters back to their consumer, marked redriven by the console. */
  @Post(':topic/redrive')
  @HttpCode(200)
  async redrive(@Param('topic') topic: string, @Body() body: unknown, @Req() request: IncomingMessage): Promise<RedriveResult> {
    requireChangeAllowed(this.settings, request);
    const parsed = redriveRequest.safeParse(body ?? {});
    if (!parsed.success) {
      throw new ProblemDetailsException({
        type: ProblemType.validation,
        title: 'Request validation failed',
        status: 400,
        detail: `the body is {} (every waiting dead letter) or {"ids": ["<id>", …]}: ${z.prettifyError(parsed.error)}`,
      });
    }
    const result = await this.deadLetters.redrive(topic, parsed.data.ids);
    if (!result) throw ProblemDetailsException.notFound(`no running consumer reports a dead-letter topic named ${JSON.stringify(topic.slice(0, 120))}`);
    return result;
  }
}

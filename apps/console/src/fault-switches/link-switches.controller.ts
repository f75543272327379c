import type { IncomingMessage } from 'node:http';
import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { z } from 'zod';
import { ProblemDetailsException, ProblemType } from '@faultline/shared/problem-details';
import type { ConsoleSettings } from '../config.js';
import { CONSOLE_SETTINGS } from '../console-tokens.js';
import { requireChangeAllowed } from './change-guard.js';

const linkChange = z.object({ state: z.enum(['cut', 'open']) }).strict();

/** Toxiproxy answers within this, or the switch reports it did not. */
const TOXIPROXY_TIMEOUT_MS = 3_000;

/**
 * The workshop's fault switch on a Toxiproxy link: `cut` disables the proxy (open connections drop,
 * new ones are refused, as in an outage), `open` enables it again. Workshop mode only.
 */
@Controller('api/links')
export class LinkSwitchesController {
  constructor(@Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings) {}

  @Post(':name')
  @HttpCode(200)
  async change(@Param('name') name: string, @Body() body: unknown, @Req() request: IncomingMessage): Promise<{ name: string; state: 'cut' | 'open' }> {
    requireChangeAllowed(this.settings, request);
    const parsed = linkChange.safeParse(body);
    if (!parsed.success) {
      throw new ProblemDetailsException({
        type: ProblemType.validation,
        title: 'Request validation failed',
        status: 400,
        detail: 'the body is {"state": "cut"} or {"state": "open"}',
      });
    }
    const url = `${this.settings.toxiproxyUrl}/proxies/${encodeURIComponent(name)}`;
    const known = await fetch(url, { signal: AbortSignal.timeout(TOXIPROXY_TIMEOUT_MS) }).catch(() => undefined);
    if (known?.status === 404) throw ProblemDetailsException.notFound(`Toxiproxy has no link named ${JSON.stringify(name.slice(0, 80))}`);
    const answer = await fetch(url, {
      method: 'POST',
      body: JSON.stringify({ enabled: parsed.data.state === 'open' }),
      signal: AbortSignal.timeout(TOXIPROXY_TIMEOUT_MS),
    }).catch((error: Error) => error);
    if (answer instanceof Error || !answer.ok) {
      throw new ProblemDetailsException({
        type: ProblemType.dependencyUnavailable,
        title: 'Toxiproxy did not change the link',
        status: 502,
        detail: answer instanceof Error ? `Toxiproxy at ${this.settings.toxiproxyUrl} did not answer: ${answer.message}` : `Toxiproxy answered HTTP ${answer.status}`,
      });
    }
    return { name, state: parsed.data.state };
  }
}

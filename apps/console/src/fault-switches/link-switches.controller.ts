import type { IncomingMessage } from 'node:http';
import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { z } from 'zod';
import { ProblemDetailsException, ProblemType } from '@faultline/shared/problem-details';
import type { ConsoleSettings } from '../config.js';
import { CONSOLE_SETTINGS } from '../console-tokens.js';
import { requireChangeAllowed } from './change-guard.js';

const linkChange = z.object({ state: z.enum(['cut', 'open', 'slow']) }).strict();
type LinkChange = z.infer<typeof linkChange>['state'];

/** The console's own toxic: a second of latency on what the dependency sends back. */
const CONSOLE_TOXIC = 'console-latency';
const SLOW_LINK_MS = 1_000;

/** Toxiproxy answers within this, or the switch reports it did not. */
const TOXIPROXY_TIMEOUT_MS = 3_000;

/**
 * The workshop's fault switch on a Toxiproxy link: `cut` disables the proxy (open connections drop,
 * new ones are refused, as in an outage); `slow` adds the console's latency toxic (every answer a
 * second late: a dependency that is up but slow); `open` enables the proxy again and removes the
 * console's toxic (a toxic a scenario added stays: it is the scenario's to remove). Workshop mode only.
 */
@Controller('api/links')
export class LinkSwitchesController {
  constructor(@Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings) {}

  @Post(':name')
  @HttpCode(200)
  async change(@Param('name') name: string, @Body() body: unknown, @Req() request: IncomingMessage): Promise<{ name: string; state: LinkChange }> {
    requireChangeAllowed(this.settings, request);
    const parsed = linkChange.safeParse(body);
    if (!parsed.success) {
      throw new ProblemDetailsException({
        type: ProblemType.validation,
        title: 'Request validation failed',
        status: 400,
        detail: 'the body is {"state": "cut"}, {"state": "slow"} or {"state": "open"}',
      });
    }
    const url = `${this.settings.toxiproxyUrl}/proxies/${encodeURIComponent(name)}`;
    const known = await fetch(url, { signal: AbortSignal.timeout(TOXIPROXY_TIMEOUT_MS) }).catch(() => undefined);
    if (known?.status === 404) throw ProblemDetailsException.notFound(`Toxiproxy has no link named ${JSON.stringify(name.slice(0, 80))}`);
    const state = parsed.data.state;
    const calls: { path: string; method: 'POST' | 'DELETE'; body?: object; missingIsFine?: boolean }[] =
      state === 'cut'
        ? [{ path: '', method: 'POST', body: { enabled: false } }]
        : state === 'slow'
          ? [
              { path: `/toxics/${CONSOLE_TOXIC}`, method: 'DELETE', missingIsFine: true },
              { path: '/toxics', method: 'POST', body: { name: CONSOLE_TOXIC, type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: SLOW_LINK_MS, jitter: 0 } } },
            ]
          : [
              { path: '', method: 'POST', body: { enabled: true } },
              { path: `/toxics/${CONSOLE_TOXIC}`, method: 'DELETE', missingIsFine: true },
            ];
    for (const call of calls) {
      const answer = await fetch(`${url}${call.path}`, {
        method: call.method,
        ...(call.body ? { body: JSON.stringify(call.body) } : {}),
        signal: AbortSignal.timeout(TOXIPROXY_TIMEOUT_MS),
      }).catch((error: Error) => error);
      if (!(answer instanceof Error) && (answer.ok || (call.missingIsFine && answer.status === 404))) continue;
      throw new ProblemDetailsException({
        type: ProblemType.dependencyUnavailable,
        title: 'Toxiproxy did not change the link',
        status: 502,
        detail: answer instanceof Error ? `Toxiproxy at ${this.settings.toxiproxyUrl} did not answer: ${answer.message}` : `Toxiproxy answered HTTP ${answer.status}`,
      });
    }
    return { name, state };
  }
}

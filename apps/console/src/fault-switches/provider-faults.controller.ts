import type { IncomingMessage } from 'node:http';
import { Body, Controller, Delete, Get, Inject, Put, Req } from '@nestjs/common';
import { ProblemDetailsException, ProblemType, type ProblemDetails } from '@faultline/shared/problem-details';
import type { ConsoleSettings } from '../config.js';
import type { ProviderFaults } from '../console-api.js';
import { CONSOLE_SETTINGS } from '../console-tokens.js';
import { requireChangeAllowed } from './change-guard.js';

/** The provider answers within this, or the console says it did not. */
const PROVIDER_TIMEOUT_MS = 3_000;

/**
 * The payment provider's fault switches (its own `/admin/faults`), read always and changed in
 * workshop mode only. The provider validates a change; its 400 problem reaches the page as it is.
 */
@Controller('api/provider-faults')
export class ProviderFaultsController {
  constructor(@Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings) {}

  @Get()
  current(): Promise<ProviderFaults> {
    return this.call('GET');
  }

  @Put()
  set(@Body() body: unknown, @Req() request: IncomingMessage): Promise<ProviderFaults> {
    requireChangeAllowed(this.settings, request);
    return this.call('PUT', body);
  }

  @Delete()
  clear(@Req() request: IncomingMessage): Promise<ProviderFaults> {
    requireChangeAllowed(this.settings, request);
    return this.call('DELETE');
  }

  private async call(method: 'GET' | 'PUT' | 'DELETE', body?: unknown): Promise<ProviderFaults> {
    const provider = this.settings.services.find((service) => service.name === 'payment-provider');
    const url = `${provider?.url}/admin/faults`;
    const answer = await fetch(url, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    }).catch((error: Error) => error);
    if (answer instanceof Error) {
      throw new ProblemDetailsException({
        type: ProblemType.dependencyUnavailable,
        title: 'The payment provider did not answer',
        status: 502,
        detail: `${url}: ${answer.message}`,
      });
    }
    const json = (await answer.json().catch(() => ({}))) as ProviderFaults | ProblemDetails;
    if (answer.status === 400) throw new ProblemDetailsException(json as ProblemDetails);
    if (!answer.ok) {
      throw new ProblemDetailsException({ type: ProblemType.dependencyUnavailable, title: 'The payment provider refused', status: 502, detail: `${url} answered HTTP ${answer.status}` });
    }
    return json as ProviderFaults;
  }
}

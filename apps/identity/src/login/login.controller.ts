import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Logger } from 'pino';
import { errors, type InteractionResults } from 'oidc-provider';
import { RateLimit } from '@faultline/shared/abuse-limits';
import { SERVICE_LOGGER } from '@faultline/shared/service-defaults';
import { CustomerAccounts } from '../accounts/customer-accounts.js';
import { PASSWORD_MAX_LENGTH } from '../accounts/sign-up.schema.js';
import { OidcProviderHost } from '../oidc/oidc-provider-host.js';
import { INTERACTION_PATH } from '../oidc/provider-configuration.js';
import { LOGIN_FORM_FIELDS, PAGE_HEADERS, renderErrorPage, renderLoginPage } from './login-page.js';

/** The one answer to any failed sign-in: it does not say whether the address has an account. */
export const LOGIN_REFUSED = 'Wrong e-mail address or password.';

type FormRequest = IncomingMessage & { body?: Record<string, unknown> };

/**
 * The provider's interaction: when an authorization request needs the person to sign in, the
 * provider redirects the browser here (`interactions.url`) with a cookie bound to this interaction.
 * The form checks e-mail and password against the accounts table; only a match finishes the
 * interaction, which sends the browser back to the provider to issue the code. A wrong password
 * shows the form again with an error and never reaches the provider.
 * Excluded from OpenAPI: these are browser pages, not an API.
 */
@ApiExcludeController()
@Controller(INTERACTION_PATH.slice(1))
export class LoginController {
  constructor(
    private readonly host: OidcProviderHost,
    private readonly accounts: CustomerAccounts,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  @Get(':uid')
  async show(@Param('uid') uid: string, @Req() request: IncomingMessage, @Res() response: ServerResponse): Promise<void> {
    await this.withInteraction(request, response, async (details, clientName) => {
      if (details.prompt.name === 'login') {
        return send(response, 200, renderLoginPage({ action: `${INTERACTION_PATH}/${uid}`, clientName }));
      }
      // The consent prompt: oidc-provider asks it of every native client, whose identity a redirect
      // to loopback cannot prove (reason `native_client_prompt`). Faultline's clients are its own
      // and loadExistingGrant has already granted what this one asked for (first-party-grant.ts),
      // so the interaction finishes with that grant instead of a consent page.
      const accountId = details.session?.accountId;
      if (details.prompt.name !== 'consent' || !accountId) {
        return send(response, 400, renderErrorPage(`This sign-in needs a step this provider does not offer (${details.prompt.name}).`));
      }
      const grantId = details.grantId ?? (await new this.host.provider.Grant({ accountId, clientId: String(details.params.client_id) }).save());
      const result: InteractionResults = { consent: { grantId } };
      return this.host.provider.interactionFinished(request, response, result, { mergeWithLastSubmission: true });
    });
  }

  // Password guessing is paced per address, like every route that hands out a credential (ADR 0016).
  @Post(':uid')
  @RateLimit('credentials')
  async submit(@Param('uid') uid: string, @Req() request: FormRequest, @Res() response: ServerResponse): Promise<void> {
    await this.withInteraction(request, response, async (details, clientName) => {
      if (details.prompt.name !== 'login') return send(response, 400, renderErrorPage('This sign-in step is already done.'));
      const email = field(request, LOGIN_FORM_FIELDS.email);
      const password = field(request, LOGIN_FORM_FIELDS.password);
      // No account has a longer password, so one is refused without spending a hash on it.
      const account = email && password && password.length <= PASSWORD_MAX_LENGTH ? await this.accounts.authenticate(email, password) : undefined;
      if (!account) {
        this.logger.info({ interaction: uid }, 'sign-in refused');
        return send(response, 200, renderLoginPage({ action: `${INTERACTION_PATH}/${uid}`, clientName, email, error: LOGIN_REFUSED }));
      }
      const result: InteractionResults = { login: { accountId: account.id, amr: ['pwd'], remember: false } };
      await this.host.provider.interactionFinished(request, response, result, { mergeWithLastSubmission: false });
    });
  }

  /** Loads the interaction from its cookie; an expired or unknown one gets a page saying so, not a 500. */
  private async withInteraction(
    request: IncomingMessage,
    response: ServerResponse,
    handle: (details: Awaited<ReturnType<OidcProviderHost['provider']['interactionDetails']>>, clientName: string) => Promise<void>,
  ): Promise<void> {
    const provider = this.host.provider;
    let details;
    try {
      details = await provider.interactionDetails(request, response);
    } catch (error) {
      if (error instanceof errors.SessionNotFound) {
        return send(response, 400, renderErrorPage('This sign-in has expired or was already completed.'));
      }
      throw error;
    }
    const client = await provider.Client.find(String(details.params.client_id));
    await handle(details, client?.clientName ?? String(details.params.client_id));
  }
}

function field(request: FormRequest, name: string): string | undefined {
  const value = request.body?.[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function send(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, PAGE_HEADERS);
  response.end(html);
}

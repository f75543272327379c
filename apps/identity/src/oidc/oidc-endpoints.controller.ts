import type { IncomingMessage, ServerResponse } from 'node:http';
import { All, Controller, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { RateLimit } from '@faultline/shared/abuse-limits';
import { OidcProviderHost } from './oidc-provider-host.js';

/**
 * Hands the OpenID Connect routes to oidc-provider (a Koa app), the way its documentation mounts
 * it in NestJS: discovery at the issuer's `/.well-known/openid-configuration`, and everything the
 * discovery document points to under `/oidc/` (authorization, token, JWKS, userinfo). The provider
 * answers these itself, errors included (OAuth's JSON errors, not problem+json). Excluded from
 * OpenAPI: the discovery document is their description.
 */
@ApiExcludeController()
@Controller()
export class OidcEndpointsController {
  constructor(private readonly host: OidcProviderHost) {}

  /** The token endpoint: it checks client secrets and codes, so it is paced per address (ADR 0016). */
  @All('oidc/token')
  @RateLimit('credentials')
  token(@Req() request: IncomingMessage, @Res() response: ServerResponse): void {
    this.host.handle(request, response);
  }

  @All(['.well-known/openid-configuration', 'oidc/*path'])
  serve(@Req() request: IncomingMessage, @Res() response: ServerResponse): void {
    this.host.handle(request, response);
  }
}

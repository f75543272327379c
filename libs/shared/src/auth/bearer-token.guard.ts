import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Optional, createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemDetailsException } from '../problem-details/index.js';
import { bearerChallenge } from './bearer-challenge.js';
import { PUBLIC_ROUTE } from './public-route.decorator.js';
import { TOKEN_GUARD_DEFAULTS, TOKEN_REQUIREMENT, type TokenGuardDefaults, type TokenRequirement } from './token-requirement.js';
import { TokenRejectedError } from './token-rejected.error.js';
import { TokenVerifier, type VerifiedToken } from './token-verifier.js';

/** The problem type of a refused bearer token; `reason` and `claim` say which check failed. */
export const INVALID_TOKEN_PROBLEM = 'urn:faultline:problem:invalid-token';
export const INSUFFICIENT_SCOPE_PROBLEM = 'urn:faultline:problem:insufficient-scope';

type AuthenticatedRequest = IncomingMessage & { verifiedToken?: VerifiedToken };

/**
 * Verifies the `Authorization: Bearer` token of a route marked `@RequiresToken(...)`. A refusal
 * leaves as problem+json with the RFC 6750 challenge, naming the failing claim, so a 401 caused by
 * clock skew says so instead of looking like a bad password (article 2).
 *
 * Registered globally by ServiceDefaultsModule's `auth` option (with TOKEN_GUARD_DEFAULTS), it also
 * guards every route without a decorator with the service's default requirement, and lets through
 * only routes marked `@Access.public(...)`: a new route is protected unless someone opens it on purpose.
 */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    @Optional() @Inject(TOKEN_GUARD_DEFAULTS) private readonly defaults?: TokenGuardDefaults,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true; // Kafka handlers carry events, not bearer tokens
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, targets)) return true;
    const requirement =
      this.reflector.getAllAndOverride<TokenRequirement | undefined>(TOKEN_REQUIREMENT, targets) ?? this.defaults?.requirement;
    if (!requirement || this.defaults?.enforcement === 'off') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const response = http.getResponse<ServerResponse>();
    // The global instance and a route's `@RequiresToken` instance read the same requirement: once is enough.
    if (request.verifiedToken) return true;

    const token = bearerTokenOf(request.headers.authorization);
    if (token === undefined) {
      response.setHeader('WWW-Authenticate', bearerChallenge());
      const detail = 'This endpoint requires an `Authorization: Bearer <token>` header.';
      throw refusal(401, INVALID_TOKEN_PROBLEM, detail, { reason: 'missing' });
    }

    let verified: VerifiedToken;
    try {
      verified = await this.verifier.verify(token, { audience: requirement.audience });
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error;
      if (error.reason === 'keys-unavailable') {
        // The issuer is down, not the caller wrong: 503, so the client retries instead of re-logging in.
        throw refusal(503, 'about:blank', `Tokens cannot be checked right now: ${error.message}`, { reason: error.reason });
      }
      response.setHeader('WWW-Authenticate', bearerChallenge({ error: 'invalid_token', description: error.message }));
      throw refusal(401, INVALID_TOKEN_PROBLEM, error.message, { reason: error.reason, claim: error.claim });
    }

    const missing = requirement.scopes.filter((scope) => !verified.scopes.includes(scope));
    if (missing.length > 0) {
      const description = `token lacks scope ${missing.join(' ')}`;
      const scope = requirement.scopes.join(' ');
      response.setHeader('WWW-Authenticate', bearerChallenge({ error: 'insufficient_scope', description, scope }));
      throw refusal(403, INSUFFICIENT_SCOPE_PROBLEM, `${description} — request a token with it.`, { missingScopes: missing });
    }
    request.verifiedToken = verified;
    return true;
  }
}

/** The token the guard accepted, for a handler: `handle(@BearerToken() token: VerifiedToken)`. */
export const BearerToken = createParamDecorator((_: unknown, context: ExecutionContext): VerifiedToken | undefined => {
  return context.switchToHttp().getRequest<AuthenticatedRequest>().verifiedToken;
});

function bearerTokenOf(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
  return match?.[1];
}

function refusal(status: number, type: string, detail: string, extensions: Record<string, unknown>): ProblemDetailsException {
  const title = status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Service Unavailable';
  return new ProblemDetailsException({ type, title, status, detail, ...extensions });
}

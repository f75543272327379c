import type { IncomingMessage } from 'node:http';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { TOKEN_GUARD_DEFAULTS, type TokenGuardDefaults, type VerifiedToken } from '../auth/index.js';
import { ProblemDetailsException } from '../problem-details/index.js';
import { ACCESS_RULE, type AccessRule, type CustomerLocation, type ResourceOwners } from './access-rule.js';

/** The problem type of a request the token may not make: another customer's data, an operator route, another service's route. */
export const ACCESS_DENIED_PROBLEM = 'urn:faultline:problem:access-denied';

type RequestWithToken = IncomingMessage & {
  verifiedToken?: VerifiedToken;
  params?: Record<string, string | undefined>;
  query?: Record<string, unknown>;
  body?: unknown;
};

/**
 * Applies each route's `@Access.*` rule to the token `BearerTokenGuard` accepted (registered right
 * after it by ServiceDefaultsModule's `auth` option). A route without a rule is refused: opening a
 * route to every token holder is as explicit a decision as opening it to everyone.
 *
 * It runs before validation, so it reads the raw path, query and body: a customer id that is
 * missing or not a string is left for the route's validation to answer with a 400.
 */
@Injectable()
export class AccessRuleGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly modules: ModuleRef,
    // ServiceDefaultsModule's `auth` option provides these with the guard, so they are always there.
    @Inject(TOKEN_GUARD_DEFAULTS) private readonly defaults: TokenGuardDefaults,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true; // Kafka handlers carry events, not tokens
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    if (rule?.kind === 'public' || this.defaults.enforcement === 'off') return true;
    const request = context.switchToHttp().getRequest<RequestWithToken>();
    if (rule === undefined) {
      throw denied(`${request.method ?? ''} ${context.getClass().name}.${context.getHandler().name} declares no access rule, so no token may call it.`);
    }
    const token = request.verifiedToken;
    if (token === undefined) throw denied('This route needs a verified token.');

    switch (rule.kind) {
      case 'customer': {
        const named = valueIn(request, rule.in, rule.name);
        if (named !== undefined && named !== token.subject) {
          throw denied(`A token of customer ${token.subject} acts only on that customer's data, not on ${rule.in === 'body' ? 'the body field' : 'the parameter'} ${rule.name}=${named}.`);
        }
        return true;
      }
      case 'owner': {
        const id = request.params?.[rule.param];
        const owners = this.modules.get<ResourceOwners>(rule.owners, { strict: false });
        if (id === undefined || !owners.isWellFormed(id)) return true; // the route's validation answers
        if ((await owners.ownerOf(id)) !== token.subject) throw owners.notFound(id);
        return true;
      }
      case 'operator':
        if (!token.scopes.includes(rule.scope)) throw denied(`Only an operator may call this route: the token lacks the ${rule.scope} scope.`);
        return true;
      case 'service':
        if (!rule.callers.includes(token.subject)) {
          throw denied(`This route is for ${rule.callers.join(' or ')}; a token of ${token.subject} may not call it.`);
        }
        return true;
    }
  }
}

function valueIn(request: RequestWithToken, location: CustomerLocation, name: string): string | undefined {
  const source = location === 'path' ? request.params : location === 'query' ? request.query : request.body;
  if (typeof source !== 'object' || source === null || Array.isArray(source)) return undefined;
  const value = (source as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

function denied(detail: string): ProblemDetailsException {
  return new ProblemDetailsException({ type: ACCESS_DENIED_PROBLEM, title: 'Forbidden', status: 403, detail });
}

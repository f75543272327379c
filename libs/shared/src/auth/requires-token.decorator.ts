import { SetMetadata, UseGuards, applyDecorators } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiProblemResponse } from '../problem-details/index.js';
import { BearerTokenGuard } from './bearer-token.guard.js';
import { TOKEN_REQUIREMENT, type TokenRequirement } from './token-requirement.js';

/**
 * Protects a controller or a route with a bearer token for `audience` (and `scopes`): 401 with
 * `WWW-Authenticate` when the token is missing or refused, 403 when it lacks a scope.
 */
export function RequiresToken(audience: string, ...scopes: string[]): MethodDecorator & ClassDecorator {
  const requirement: TokenRequirement = { audience, scopes };
  return applyDecorators(
    SetMetadata(TOKEN_REQUIREMENT, requirement),
    UseGuards(BearerTokenGuard),
    ApiBearerAuth(),
    ApiProblemResponse(401, 'No bearer token, or one that is expired, not yet valid, or not for this service'),
    ApiProblemResponse(403, 'The token lacks a required scope'),
  );
}

import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { ApiProblemResponse } from '../problem-details/index.js';
import { PUBLIC_ROUTE } from '../auth/public-route.decorator.js';
import {
  ACCESS_EXTENSION,
  ACCESS_RULE,
  OPERATOR_SCOPE,
  describeAccessRule,
  type AccessRule,
  type CustomerLocation,
  type ResourceOwnersType,
} from './access-rule.js';

type RouteDecorator = MethodDecorator & ClassDecorator;

function declare(rule: AccessRule, ...documentation: RouteDecorator[]): RouteDecorator {
  return applyDecorators(SetMetadata(ACCESS_RULE, rule), ApiExtension(ACCESS_EXTENSION, describeAccessRule(rule)), ...documentation);
}

/**
 * Declares who may call a route (object-level authorization, OWASP API1). Every route of a service
 * with tokens declares one: `AccessRuleGuard` refuses a route that does not, and a test walks every
 * service's OpenAPI document for the `x-faultline-access` each declaration writes.
 */
export const Access = {
  /** Anyone, without a token: `reason` says why the route is open (shown in OpenAPI). */
  public(reason: string): RouteDecorator {
    return declare({ kind: 'public', reason }, SetMetadata(PUBLIC_ROUTE, true));
  },

  /**
   * Only the customer the request names, in the path parameter, query parameter or body field
   * `name`: 403 for any other customer. The caller named the customer itself, so the refusal tells
   * it nothing it did not know, and it is the same whether that customer exists or not.
   */
  customerIn(location: CustomerLocation, name: string): RouteDecorator {
    return declare(
      { kind: 'customer', in: location, name },
      ApiProblemResponse(403, `The token's customer is not the ${location === 'body' ? 'body field' : `${location} parameter`} \`${name}\``),
    );
  },

  /**
   * Only the customer who owns the resource whose id is in the path parameter `param`, looked up
   * by `owners`: anyone else gets the route's own 404, as if the resource did not exist.
   */
  ownerOf(owners: ResourceOwnersType, param: string): RouteDecorator {
    return declare({ kind: 'owner', resource: owners.resource, param, owners });
  },

  /** Only an operator: a user token with the `faultline:operator` scope; 403 otherwise. */
  operator(): RouteDecorator {
    return declare({ kind: 'operator', scope: OPERATOR_SCOPE }, ApiProblemResponse(403, `The token lacks the ${OPERATOR_SCOPE} scope`));
  },

  /** Only service tokens whose `sub` is one of `callers`: 403 for any other service. */
  services(...callers: string[]): RouteDecorator {
    return declare({ kind: 'service', callers }, ApiProblemResponse(403, `The calling service is not ${callers.join(' or ')}`));
  },
};

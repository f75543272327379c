import type { Type } from '@nestjs/common';

/** The scope of an operator's user token: company-wide reports and other routes about every customer. */
export const OPERATOR_SCOPE = 'faultline:operator';

/** The OpenAPI extension every operation of a Faultline service carries: who may call it. */
export const ACCESS_EXTENSION = 'x-faultline-access';

/** Where `@Access.*` leaves a route's rule for `AccessRuleGuard` to read. */
export const ACCESS_RULE = Symbol.for('faultline.AccessRule');

/** Where the customer named by a request is read: a path parameter, a query parameter, or a field of the JSON body. */
export type CustomerLocation = 'path' | 'query' | 'body';

/**
 * Who may call a route, checked after the token (ADR 0017):
 * - `public`: anyone, no token (probes, the JWKS, the workshop's switches);
 * - `customer`: a user token whose `sub` is the customer the request names (403 otherwise);
 * - `owner`: a user token whose `sub` owns the resource the path names, by a lookup (404 otherwise,
 *   the same answer as for a resource that does not exist);
 * - `operator`: a user token with the operator scope (403 otherwise);
 * - `service`: a service token whose `sub` is one of the services the route is meant for (403 otherwise).
 */
export type AccessRule =
  | { readonly kind: 'public'; readonly reason: string }
  | { readonly kind: 'customer'; readonly in: CustomerLocation; readonly name: string }
  | { readonly kind: 'owner'; readonly resource: string; readonly param: string; readonly owners: Type<ResourceOwners> }
  | { readonly kind: 'operator'; readonly scope: string }
  | { readonly kind: 'service'; readonly callers: readonly string[] };

/**
 * Who owns the resources of one kind, for `@Access.ownerOf`: a provider of the service that looks the
 * owner up in its own database, and the 404 the route answers for a resource that does not exist, so
 * a customer asking for another's resource cannot tell it from a missing one.
 */
export interface ResourceOwners {
  /**
   * Whether `id` is well-formed for this kind of resource (a UUID…). The guard runs before
   * validation: a malformed id is never looked up, and the route's validation answers it with a 400.
   */
  isWellFormed(id: string): boolean;
  /** The customer id that owns a well-formed `id`, or undefined when there is no such resource. */
  ownerOf(id: string): Promise<string | undefined>;
  /** The route's own "no such resource" answer. */
  notFound(id: string): Error;
}

/** A `ResourceOwners` class naming the kind of resource it answers for (`order`), as OpenAPI shows it. */
export type ResourceOwnersType = Type<ResourceOwners> & { readonly resource: string };

/** The rule as OpenAPI shows it: JSON, without the lookup class. */
export function describeAccessRule(rule: AccessRule): Record<string, unknown> {
  if (rule.kind !== 'owner') return { ...rule };
  return { kind: rule.kind, resource: rule.resource, param: rule.param };
}

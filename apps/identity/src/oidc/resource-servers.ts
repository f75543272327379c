import { USER_TOKEN_AUDIENCE, resourceIndicatorOf } from '@faultline/shared/auth';

/**
 * The APIs tokens are issued for (RFC 8707 resource indicators) and the `aud` each puts in its
 * tokens. Indicators must be absolute URIs, so each audience the services already check gets a URN.
 */
export const RESOURCE_SERVERS = {
  /** Every service's customer-facing API: user tokens (`aud faultline-api`). */
  'urn:faultline:faultline-api': { audience: USER_TOKEN_AUDIENCE, scopes: ['faultline:customer', 'faultline:operator'] },
  /** Billing's /payments API, called by the order-fulfilment saga: service tokens (`aud billing`). */
  'urn:faultline:billing': { audience: 'billing', scopes: ['billing:payments'] },
  /** Notifications, for a service calling it: service tokens (`aud notifications`). */
  'urn:faultline:notifications': { audience: 'notifications', scopes: ['notifications:api'] },
} as const satisfies Record<string, { audience: string; scopes: readonly string[] }>;

export type ResourceIndicator = keyof typeof RESOURCE_SERVERS;

/** The resource indicator of an audience (`billing` → `urn:faultline:billing`): the services' own convention. */
export const resourceIndicator = resourceIndicatorOf;

export function isResourceIndicator(value: string): value is ResourceIndicator {
  return Object.hasOwn(RESOURCE_SERVERS, value);
}

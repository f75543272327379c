import type { ClientMetadata } from 'oidc-provider';
import type { IdentitySettings } from '../config.js';
import type { ResourceIndicator } from './resource-servers.js';

/** The public client of people signing in: the code flow with PKCE, redirected to a loopback port. */
export const CLI_CLIENT_ID = 'faultline-cli';
/**
 * The CLI listens on any free loopback port: for a native client the provider accepts this URI with
 * any port (RFC 8252 §7.3), so `http://127.0.0.1:49152/callback` matches.
 */
export const CLI_REDIRECT_URI = 'http://127.0.0.1/callback';
/** The workshop console's server side, signing a person in for the page (a backend for the front end). */
export const CONSOLE_CLIENT_ID = 'faultline-console';
/** The console listens on any loopback port (CONSOLE_HTTP_PORT, or a test's free one): the same RFC 8252 rule. */
export const CONSOLE_REDIRECT_URI = 'http://127.0.0.1/api/session/callback';
export const ORDERS_CLIENT_ID = 'orders';
export const OPERATOR_CLIENT_ID = 'faultline-operator';

/**
 * A client registered with the provider, and the scopes it may obtain at each resource server. The
 * provider's client metadata can only list its own (OpenID) scopes; the API scopes are enforced by
 * `getResourceServerInfo` (provider-configuration.ts) from `resources`.
 */
export interface FaultlineClient {
  metadata: ClientMetadata;
  resources: Partial<Record<ResourceIndicator, readonly string[]>>;
}

/**
 * Every client, registered statically: Faultline's own applications, all first-party (the
 * provider asks no consent of them, see provider-configuration.ts). There is no dynamic registration.
 */
export function faultlineClients(settings: IdentitySettings['identity']): FaultlineClient[] {
  return [
    {
      metadata: {
        client_id: CLI_CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [CLI_REDIRECT_URI],
        // The OpenID scopes it may ask for; what it may have at each API is `resources` below.
        scope: 'openid email',
      },
      resources: { 'urn:faultline:faultline-api': ['faultline:customer'] },
    },
    {
      // The console keeps the customer's token on its server and gives the page only a session
      // cookie; it runs on the person's machine like the CLI, so it is public and proves itself with PKCE.
      metadata: {
        client_id: CONSOLE_CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [CONSOLE_REDIRECT_URI],
        scope: 'openid email',
      },
      resources: { 'urn:faultline:faultline-api': ['faultline:customer'] },
    },
    {
      // Its calls to billing (the saga's payments) and to notifications; `sub` of its tokens is `orders`.
      metadata: {
        client_id: ORDERS_CLIENT_ID,
        client_secret: settings.clientSecrets.orders,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
      resources: { 'urn:faultline:billing': ['billing:payments'], 'urn:faultline:notifications': ['notifications:api'] },
    },
    {
      // The workshop instructor's scripts: a token with the operator scope for company-wide routes
      // (billing's daily revenue). `sub` is the client id, not a customer.
      metadata: {
        client_id: OPERATOR_CLIENT_ID,
        client_secret: settings.clientSecrets.operator,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
      resources: { 'urn:faultline:faultline-api': ['faultline:operator'] },
    },
  ];
}

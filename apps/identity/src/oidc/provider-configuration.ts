import {
  errors,
  type AccessToken,
  type ClientCredentials,
  type Configuration,
  type JWKS,
  type JWTStructured,
  type KoaContextWithOIDC,
  type ResourceServer,
} from 'oidc-provider';
import type { DataSource } from 'typeorm';
import { DEFAULT_CLOCK_TOLERANCE_SECONDS, DEFAULT_TOKEN_LIFETIME_SECONDS, TOKEN_ALGORITHM } from '@faultline/shared/auth';
import type { CustomerAccounts } from '../accounts/customer-accounts.js';
import type { IdentitySettings } from '../config.js';
import { renderErrorPage } from '../login/login-page.js';
import { faultlineClients, type FaultlineClient } from './clients.js';
import { grantRequestedScopes } from './first-party-grant.js';
import { postgresOidcAdapter } from './postgres-adapter.js';
import { RESOURCE_SERVERS, isResourceIndicator } from './resource-servers.js';

/** Where the provider's own endpoints live; everything else on the port is the NestJS app's. */
export const OIDC_ROUTE_PREFIX = '/oidc';
/** The login form (login/login.controller.ts). The provider scopes its interaction cookie to this path. */
export const INTERACTION_PATH = '/interaction';

export interface ProviderDependencies {
  settings: IdentitySettings['identity'];
  db: DataSource;
  accounts: CustomerAccounts;
  /** Private JWKs, the signing key first (signing-keys/signing-key-store.ts). */
  jwks: JWKS;
}

/**
 * The whole oidc-provider configuration, decided once here (ADR 0015):
 * - only the flows Faultline uses: authorization code + PKCE for people (public client
 *   `faultline-cli`), client_credentials for services; no implicit, no device flow, no dynamic
 *   registration, no development login views;
 * - access tokens are JWTs (RFC 9068) for one resource each, signed ES256 like every Faultline
 *   token, living `accessTokenLifetimeSeconds`: 10 min as the token policy demands, 24 h only in the
 *   workshop's naive mode (article 2);
 * - all state on PostgreSQL through the adapter; cookies signed with IDENTITY_COOKIE_SECRET.
 */
export function providerConfiguration({ settings, db, accounts, jwks }: ProviderDependencies): Configuration {
  const clients = faultlineClients(settings);
  const clientsById = new Map(clients.map((client) => [client.metadata.client_id, client]));

  return {
    adapter: postgresOidcAdapter(db, DEFAULT_CLOCK_TOLERANCE_SECONDS),
    clients: clients.map((client) => client.metadata),
    jwks,
    cookies: { keys: [settings.cookieSecret] },
    clockTolerance: DEFAULT_CLOCK_TOLERANCE_SECONDS,
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'none'],
    clientDefaults: { id_token_signed_response_alg: TOKEN_ALGORITHM },
    enabledJWA: { idTokenSigningAlgValues: [TOKEN_ALGORITHM] },
    scopes: ['openid', 'email'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    routes: {
      authorization: `${OIDC_ROUTE_PREFIX}/auth`,
      jwks: `${OIDC_ROUTE_PREFIX}/jwks`,
      token: `${OIDC_ROUTE_PREFIX}/token`,
      userinfo: `${OIDC_ROUTE_PREFIX}/me`,
      end_session: `${OIDC_ROUTE_PREFIX}/session/end`,
      revocation: `${OIDC_ROUTE_PREFIX}/token/revocation`,
      introspection: `${OIDC_ROUTE_PREFIX}/token/introspection`,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: false },
      resourceIndicators: {
        enabled: true,
        // A client that names no resource gets its only one; a client with several must name one.
        defaultResource: (_ctx, client, oneOf) => {
          if (oneOf) return oneOf;
          const allowed = Object.keys(clientsById.get(client.clientId)?.resources ?? {});
          if (allowed.length === 1) return allowed[0];
          throw new errors.InvalidTarget(`name the resource the token is for, one of: ${allowed.join(', ')}`);
        },
        getResourceServerInfo: (_ctx, indicator, client) =>
          resourceServerFor(clientsById.get(client.clientId), indicator, settings.accessTokenLifetimeSeconds),
        // The code's one granted resource is the token's audience even when the token request repeats no `resource`.
        useGrantedResource: () => true,
      },
    },
    ttl: {
      AccessToken: settings.accessTokenLifetimeSeconds,
      ClientCredentials: settings.accessTokenLifetimeSeconds,
      IdToken: DEFAULT_TOKEN_LIFETIME_SECONDS,
      AuthorizationCode: 60,
      Interaction: 10 * 60,
      Session: 24 * 60 * 60,
      Grant: 24 * 60 * 60,
    },
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `${INTERACTION_PATH}/${interaction.uid}` },
    // Every client is Faultline's own: what it asks for (within what it may have) is granted without a consent page.
    loadExistingGrant: (ctx) => grantRequestedScopes(ctx),
    findAccount: async (_ctx, sub) => {
      const account = await accounts.findById(sub);
      if (!account) return undefined;
      return { accountId: account.id, claims: () => ({ sub: account.id, email: account.email, email_verified: false }) };
    },
    formats: { customizers: { jwt: defaultServiceScope } },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = renderErrorPage(out.error_description ?? out.error);
    },
  };
}

/**
 * The resource server as this client may see it: its audience, the JWT format and lifetime, and only the
 * scopes this client is allowed there. A resource the client has no scopes at is refused
 * (`invalid_target`), so `orders` cannot obtain a user-API token, nor the CLI a billing one.
 */
function resourceServerFor(client: FaultlineClient | undefined, indicator: string, lifetimeSeconds: number) {
  if (!isResourceIndicator(indicator)) throw new errors.InvalidTarget(`unknown resource ${indicator}`);
  const scopes = client?.resources[indicator];
  if (!client || !scopes || scopes.length === 0) {
    throw new errors.InvalidTarget(`client ${client?.metadata.client_id ?? '(unknown)'} may not obtain tokens for ${indicator}`);
  }
  return {
    audience: RESOURCE_SERVERS[indicator].audience,
    scope: scopes.join(' '),
    accessTokenFormat: 'jwt' as const,
    accessTokenTTL: lifetimeSeconds,
    jwt: { sign: { alg: TOKEN_ALGORITHM } },
  } satisfies ResourceServer;
}

/**
 * A service that asks for no scope gets every scope it is allowed at the resource (as most
 * authorization servers do for client_credentials), so its token always says what it may do.
 * `resourceServer.scope` is already narrowed to this client's scopes by resourceServerFor.
 */
function defaultServiceScope(_ctx: KoaContextWithOIDC, token: AccessToken | ClientCredentials, jwt: JWTStructured): void {
  if (token.kind === 'ClientCredentials' && jwt.payload.scope === undefined && token.resourceServer?.scope) {
    jwt.payload.scope = token.resourceServer.scope;
  }
}

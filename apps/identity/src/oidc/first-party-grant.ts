import type { Grant, KoaContextWithOIDC } from 'oidc-provider';

/**
 * The grant of a first-party client's authorization request: the session's grant for this client
 * (or a new one), extended with what the request asks for — the OpenID scopes it names, and at each
 * requested resource the scopes the client may have there (already narrowed by
 * `getResourceServerInfo`). With everything granted, the provider shows no consent prompt: Faultline's
 * clients are its own applications, and a person signing in to them has nothing to consent to.
 */
export async function grantRequestedScopes(ctx: KoaContextWithOIDC): Promise<Grant | undefined> {
  const { oidc } = ctx;
  const clientId = oidc.client?.clientId;
  const accountId = oidc.session?.accountId;
  if (!clientId || !accountId) return undefined;

  const { Grant } = oidc.provider;
  const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(clientId);
  const existing = grantId ? await Grant.find(grantId) : undefined;
  const grant = existing && existing.accountId === accountId ? existing : new Grant({ clientId, accountId });

  const openidScopes = [...oidc.requestParamOIDCScopes];
  if (openidScopes.length > 0) grant.addOIDCScope(openidScopes.join(' '));
  const requested = oidc.requestParamScopes;
  for (const [indicator, server] of Object.entries(oidc.resourceServers ?? {})) {
    const scopes = [...server.scopes].filter((scope) => requested.has(scope));
    if (scopes.length > 0) grant.addResourceScope(indicator, scopes.join(' '));
  }
  await grant.save();
  return grant;
}

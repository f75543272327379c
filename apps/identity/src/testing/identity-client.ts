import { randomBytes, randomUUID } from 'node:crypto';
import * as oidc from 'openid-client';
import { LOGIN_FORM_FIELDS } from '../login/login-page.js';
import { CLI_CLIENT_ID, CLI_REDIRECT_URI } from '../oidc/clients.js';
import { resourceIndicator } from '../oidc/resource-servers.js';
import { CookieJar } from './cookie-jar.js';

/** A customer just created with `signUp`, with the password it was created with. */
export interface SignedUpCustomer {
  customerId: string;
  email: string;
  password: string;
}

export interface Credentials {
  email: string;
  password: string;
}

/** The login form came back with an error instead of letting the sign-in through (wrong password, unknown e-mail). */
export class LoginRefusedError extends Error {
  constructor(readonly formError: string) {
    super(`the identity provider refused the sign-in: ${formError}`);
    this.name = 'LoginRefusedError';
  }
}

/** The identity provider answered a request with an error (an OAuth error, or a problem document). */
export class IdentityRequestError extends Error {
  constructor(
    readonly status: number,
    /** The OAuth `error` code (`invalid_client`, `invalid_target`, …), or the problem's `title`. */
    readonly error: string,
    readonly description: string,
  ) {
    super(`identity provider answered ${status} ${error}: ${description}`);
    this.name = 'IdentityRequestError';
  }
}

/**
 * Creates an account with `POST /accounts`. Without an e-mail address a fresh random one is used,
 * without a password a random 24-character one, so each call is a new customer.
 */
export async function signUp(identityUrl: string, { email, password }: Partial<Credentials> = {}): Promise<SignedUpCustomer> {
  const credentials = {
    email: email ?? `customer-${randomUUID()}@example.com`,
    password: password ?? randomBytes(18).toString('base64url'),
  };
  const response = await fetch(new URL('/accounts', identityUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  const body = (await response.json()) as { customerId?: string; email?: string; title?: string; detail?: string };
  if (response.status !== 201) throw new IdentityRequestError(response.status, body.title ?? 'sign-up failed', body.detail ?? JSON.stringify(body));
  return { customerId: String(body.customerId), email: String(body.email), password: credentials.password };
}

export interface UserTokenOptions {
  /** The public client signing in; default `faultline-cli`. */
  clientId?: string;
  /** Where the code is sent; default the CLI's loopback URI. */
  redirectUri?: string;
  /** Default `openid faultline:customer`. */
  scope?: string;
  /** The audience or resource indicator of the access token; default `faultline-api`. */
  resource?: string;
}

/**
 * A user access token for a customer, obtained the way a person gets one: the authorization code
 * flow with PKCE, over HTTP, as a browser and a native client do it together. openid-client plays
 * the client (PKCE, state, the `iss` of the response, the code exchange, the ID token's claims); this
 * function plays the browser: it follows the redirects, keeps the cookies per path, fills in and
 * submits the login form, and hands the redirect to the client's loopback URI back to the client.
 * Throws LoginRefusedError when the form answers with an error instead of a redirect.
 */
export async function userToken(identityUrl: string, credentials: Credentials, options: UserTokenOptions = {}): Promise<string> {
  const { clientId = CLI_CLIENT_ID, redirectUri = CLI_REDIRECT_URI, scope = 'openid faultline:customer', resource = 'faultline-api' } = options;
  const config = await oidc.discovery(new URL(identityUrl), clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    resource: resourceIndicator(resource),
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
  });

  const callback = await signInWithBrowser(authorizationUrl, credentials, redirectUri);
  try {
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: codeVerifier, expectedState: state, idTokenExpected: scope.split(' ').includes('openid') });
    return tokens.access_token;
  } catch (error) {
    throw asIdentityRequestError(error);
  }
}

export interface ServiceTokenRequest {
  clientId: string;
  clientSecret: string;
  /** The audience or resource indicator the token is for: `billing`, `notifications`, or `urn:faultline:…`. */
  resource: string;
  /** Default: every scope the client may have at the resource. */
  scope?: string;
}

/**
 * A service access token: the client_credentials grant, one POST to the token endpoint named in
 * the discovery document, the client authenticated with HTTP Basic as the provider requires.
 * Throws IdentityRequestError with the OAuth error (401 `invalid_client`, 400 `invalid_target`).
 */
export async function serviceToken(identityUrl: string, { clientId, clientSecret, resource, scope }: ServiceTokenRequest): Promise<string> {
  const { token_endpoint: tokenEndpoint } = await discover(identityUrl);
  const form = new URLSearchParams({ grant_type: 'client_credentials', resource: resourceIndicator(resource) });
  if (scope) form.set('scope', scope);
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: form,
  });
  const body = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
  if (response.status !== 200 || !body.access_token) {
    throw new IdentityRequestError(response.status, body.error ?? 'token request failed', body.error_description ?? JSON.stringify(body));
  }
  return body.access_token;
}

/** The provider's discovery document (`/.well-known/openid-configuration`). */
export async function discover(identityUrl: string): Promise<{ issuer: string; jwks_uri: string; token_endpoint: string; authorization_endpoint: string }> {
  const response = await fetch(new URL('/.well-known/openid-configuration', identityUrl));
  if (response.status !== 200) throw new IdentityRequestError(response.status, 'discovery failed', await response.text());
  return (await response.json()) as { issuer: string; jwks_uri: string; token_endpoint: string; authorization_endpoint: string };
}

/** A browser is led through at most this many redirects and pages before the helper gives up. */
const MAX_BROWSER_STEPS = 10;

/**
 * The browser's part: from the authorization URL to the redirect to `redirectUri`, which it
 * returns instead of following (the native client listens there). A page on the way is the login
 * form: it is submitted once with the credentials; shown again, it carries the refusal.
 */
async function signInWithBrowser(authorizationUrl: URL, { email, password }: Credentials, redirectUri: string): Promise<URL> {
  const cookies = new CookieJar();
  let request: { url: URL; method: 'GET' | 'POST'; form?: URLSearchParams } = { url: authorizationUrl, method: 'GET' };
  let submitted = false;
  for (let step = 0; step < MAX_BROWSER_STEPS; step += 1) {
    const cookie = cookies.header(request.url);
    const response = await fetch(request.url, {
      method: request.method,
      redirect: 'manual',
      headers: {
        accept: 'text/html',
        ...(cookie ? { cookie } : {}),
        ...(request.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: request.form,
    });
    cookies.store(request.url, response);

    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      const next = new URL(location, request.url);
      if (sameEndpoint(next, redirectUri)) return next;
      request = { url: next, method: 'GET' };
      continue;
    }

    const html = await response.text();
    const form = loginForm(html);
    if (response.status !== 200 || !form) {
      throw new IdentityRequestError(response.status, 'sign-in page', `unexpected answer at ${request.url.pathname}: ${textOf(html).slice(0, 300)}`);
    }
    if (submitted) throw new LoginRefusedError(form.error ?? 'the login form was shown again');
    submitted = true;
    request = {
      url: new URL(form.action, request.url),
      method: 'POST',
      form: new URLSearchParams({ [LOGIN_FORM_FIELDS.email]: email, [LOGIN_FORM_FIELDS.password]: password }),
    };
  }
  throw new Error(`no redirect to ${redirectUri} after ${MAX_BROWSER_STEPS} steps of the sign-in`);
}

/** The sign-in form of a page: where it posts, and the error it shows (after a refused attempt). */
function loginForm(html: string): { action: string; error: string | undefined } | undefined {
  const action = /<form[^>]*\smethod="post"[^>]*\saction="([^"]*)"/i.exec(html)?.[1];
  if (action === undefined) return undefined;
  const error = /<[a-z]+[^>]*\brole="alert"[^>]*>([\s\S]*?)<\//i.exec(html)?.[1];
  return { action: decodeEntities(action), error: error === undefined ? undefined : decodeEntities(error) };
}

function sameEndpoint(url: URL, redirectUri: string): boolean {
  const expected = new URL(redirectUri);
  // A loopback redirect URI matches whatever its port (RFC 8252 §7.3).
  return url.protocol === expected.protocol && url.hostname === expected.hostname && url.pathname === expected.pathname;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function textOf(html: string): string {
  return decodeEntities(html.replace(/<style[\s\S]*?<\/style>/gi, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
}

function asIdentityRequestError(error: unknown): unknown {
  if (error instanceof oidc.ResponseBodyError) return new IdentityRequestError(error.status, error.error, error.error_description ?? error.message);
  if (error instanceof oidc.AuthorizationResponseError) return new IdentityRequestError(400, error.error, error.error_description ?? error.message);
  return error;
}

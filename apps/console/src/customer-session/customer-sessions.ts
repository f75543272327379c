import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import * as oidc from 'openid-client';
import type { ConsoleSettings } from '../config.js';
import type { CustomerSession } from '../console-api.js';
import { CONSOLE_SETTINGS } from '../console-tokens.js';

/** The console's registration at the identity provider (apps/identity/src/oidc/clients.ts). */
export const CONSOLE_CLIENT_ID = 'faultline-console';
export const CALLBACK_PATH = '/api/session/callback';
/** What the page's customer may do: their own orders at the shared API. */
const SCOPE = 'openid email faultline:customer';
const RESOURCE = 'urn:faultline:faultline-api';
/** A sign-in the person never finished is forgotten after this; so is the oldest beyond the cap. */
const PENDING_SIGN_IN_MS = 10 * 60_000;
const MAX_PENDING = 100;
const MAX_SESSIONS = 100;

interface Pending {
  codeVerifier: string;
  redirectUri: string;
  startedAt: number;
}

interface Session {
  accessToken: string;
  expiresAt: number;
  customerId: string;
  email?: string;
}

/** A sign-in or a session the identity provider or the page got wrong: the page shows the reason. */
export class SignInFailed extends Error {}

/**
 * The customer sessions of the page (a backend for the front end): the console signs a person in at
 * the identity provider with the authorization code flow and PKCE (openid-client), keeps their access
 * token on its side, and gives the browser only an opaque session id, in an HttpOnly cookie. The
 * page never holds a token, so a script in it cannot leak one. Sessions live in memory: restarting
 * the console signs everyone out.
 */
@Injectable()
export class CustomerSessions {
  private configuration?: Promise<oidc.Configuration>;
  private readonly pending = new Map<string, Pending>();
  private readonly sessions = new Map<string, Session>();

  constructor(@Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings) {}

  /**
   * Where to send the browser to sign in. The identity provider sends it back to the console on
   * 127.0.0.1 (the only host the registration allows), where the session cookie is then set.
   */
  async signInUrl(): Promise<URL> {
    const config = await this.identityProvider();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const redirectUri = `http://${this.settings.http.host}:${this.settings.http.port}${CALLBACK_PATH}`;
    this.forgetStalePending();
    this.pending.set(state, { codeVerifier, redirectUri, startedAt: Date.now() });
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: SCOPE,
      resource: RESOURCE,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
    });
  }

  /** Finishes a sign-in from the identity provider's redirect; returns the new session's id. */
  async finishSignIn(callbackUrl: URL): Promise<string> {
    const state = callbackUrl.searchParams.get('state') ?? '';
    const pending = this.pending.get(state);
    if (!pending) throw new SignInFailed('this sign-in is unknown or expired: start it again from the page');
    this.pending.delete(state);
    const config = await this.identityProvider();
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: pending.codeVerifier, expectedState: state, idTokenExpected: true });
    } catch (error) {
      throw new SignInFailed(`the identity provider did not complete the sign-in: ${(error as Error).message}`);
    }
    const claims = tokens.claims();
    if (!claims?.sub) throw new SignInFailed('the identity provider returned no subject');
    const id = randomBytes(32).toString('base64url');
    this.sessions.set(id, {
      accessToken: tokens.access_token,
      expiresAt: Date.now() + (tokens.expiresIn() ?? 0) * 1_000,
      customerId: claims.sub,
      email: typeof claims.email === 'string' ? claims.email : undefined,
    });
    for (const oldest of [...this.sessions.keys()].slice(0, Math.max(0, this.sessions.size - MAX_SESSIONS))) this.sessions.delete(oldest);
    return id;
  }

  /** The session, while its token is valid; a session whose token expired is ended (sign in again). */
  session(id: string | undefined): (Session & { id: string }) | undefined {
    const session = id ? this.sessions.get(id) : undefined;
    if (!id || !session) return undefined;
    if (session.expiresAt <= Date.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return { ...session, id };
  }

  describe(id: string | undefined): CustomerSession {
    const session = this.session(id);
    return session ? { signedIn: true, customerId: session.customerId, email: session.email, expiresAt: new Date(session.expiresAt).toISOString() } : { signedIn: false };
  }

  end(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  private identityProvider(): Promise<oidc.Configuration> {
    const identity = this.settings.services.find((service) => service.name === 'identity');
    this.configuration ??= oidc
      .discovery(new URL(identity?.url ?? ''), CONSOLE_CLIENT_ID, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] })
      .catch((error: Error) => {
        this.configuration = undefined;
        throw new SignInFailed(`the identity provider at ${identity?.url} did not answer its discovery: ${error.message}`);
      });
    return this.configuration;
  }

  private forgetStalePending(): void {
    const now = Date.now();
    for (const [state, pending] of this.pending) if (now - pending.startedAt > PENDING_SIGN_IN_MS) this.pending.delete(state);
    for (const oldest of [...this.pending.keys()].slice(0, Math.max(0, this.pending.size - MAX_PENDING + 1))) this.pending.delete(oldest);
  }
}

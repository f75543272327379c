import { signUp, userToken, type SignedUpCustomer } from '@faultline/identity/testing';
import { chaosEmailAddressOf } from './mailbox.js';

/**
 * Sign in again this long before the access token's `exp`: a request retried through a fault for
 * a while must not set out with a token that expires on the way (they live 600 s).
 */
const RENEW_BEFORE_EXPIRY_MS = 60_000;

/**
 * A customer of the load as a person is one: an account at the identity provider, signed in with
 * the authorization code flow and PKCE, and signed in again when the access token is about to
 * expire or a service refused it (401). Orders lets a token place orders only in its own
 * customer's name (`customerId` = the token's `sub`).
 */
export class CustomerSession {
  /** Sign-ins that produced a token, the first one included. */
  signIns = 0;
  private current: { token: string; expiresAtMs: number } | undefined;
  private signingIn: Promise<string> | undefined;

  private constructor(
    private readonly identityUrl: string,
    private readonly account: SignedUpCustomer,
  ) {}

  /** A new account with a fresh e-mail address and password (`POST /accounts`). */
  static async signUp(identityUrl: string): Promise<CustomerSession> {
    return new CustomerSession(identityUrl, await signUp(identityUrl));
  }

  get customerId(): string {
    return this.account.customerId;
  }

  /** Where notifications sends this customer's e-mail: unique to the customer, so to the run. */
  get emailAddress(): string {
    return chaosEmailAddressOf(this.customerId);
  }

  /**
   * Gives notifications this customer's address (`PUT /customers/{id}/contact-preferences`, with
   * the customer's own token), in UTC with no quiet hours, so every e-mail of the run is due at once:
   * without preferences an e-mail ends `no-address` and is never sent.
   */
  async setContactPreferences(notificationsUrl: string): Promise<void> {
    const response = await fetch(`${notificationsUrl}/customers/${this.customerId}/contact-preferences`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await this.token()}` },
      body: JSON.stringify({ email: this.emailAddress, timeZone: 'UTC', quietHours: null }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (response.status !== 200 && response.status !== 201) {
      throw new Error(`notifications answered ${response.status} to the contact preferences of ${this.customerId}: ${text}`);
    }
  }

  /**
   * The customer's access token, signing in first when there is none or it is about to expire.
   * Rejects when the sign-in fails (the identity provider or its database is down, a 429): the
   * caller tries again later, as a person would.
   */
  token(): Promise<string> {
    if (this.current && Date.now() < this.current.expiresAtMs - RENEW_BEFORE_EXPIRY_MS) return Promise.resolve(this.current.token);
    // Concurrent requests of one customer share one sign-in.
    this.signingIn ??= this.signIn().finally(() => (this.signingIn = undefined));
    return this.signingIn;
  }

  /** A service answered 401 to `token`: the next request signs in again. */
  refused(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }

  private async signIn(): Promise<string> {
    const token = await userToken(this.identityUrl, this.account);
    this.current = { token, expiresAtMs: expiryOf(token) };
    this.signIns += 1;
    return token;
  }
}

/** The `exp` of a JWT access token, in epoch milliseconds (read, not verified: the services verify it). */
function expiryOf(token: string): number {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
  if (typeof payload.exp !== 'number') throw new Error('the identity provider issued an access token without exp');
  return payload.exp * 1_000;
}

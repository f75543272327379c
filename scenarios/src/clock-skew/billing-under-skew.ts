import { randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, type JWK } from 'jose';
import { discover, signUp, userToken, type SignedUpCustomer } from '@faultline/identity/testing';
import { scrapeMetric } from '../event-ordering/scrape-metric.js';

/** What billing's token guard made of a request: a 401 names the failing claim. */
export interface GuardAnswer {
  status: number;
  /** The answer's media type, without parameters: `application/problem+json` for every error. */
  contentType: string;
  claim?: string;
  detail: string;
}

/**
 * The answer a token the guard let through gets for what billing has never heard of (a customer, a
 * payment request's key): a problem+json 404 from the controller. A 500 or a 503 is past the guard
 * too, but it is not proof that the token was accepted and the request served.
 */
export function isServedNotFound(answer: GuardAnswer): boolean {
  return answer.status === 404 && answer.contentType === 'application/problem+json';
}

/**
 * A token's `iat` is in whole seconds, rounded down: one minted at 12:00:00.900 says 12:00:00, so
 * a verifier 31 s behind would see it only 30.1 s in its future, within the 30 s tolerance. A token
 * the scenario uses is one that reached it within this much of its `iat`, so that 31 s of skew is
 * seen as 31 s (the rest of the second is room for the request to billing).
 */
const FRESH_WITHIN_MS = 500;
/** Sign-ins tried for such a token before the scenario gives up on a machine that slow. */
const FRESH_TOKEN_ATTEMPTS = 10;

/**
 * The scenario's client of article 2: a customer who signed up at the identity provider and signs
 * in there for each fresh user token (the authorization code flow with PKCE, as a CLI does); it
 * moves billing's clock with PUT /admin/clock (workshop mode) and calls billing with the tokens to
 * see what its guard answers.
 */
export class BillingUnderSkew {
  private constructor(
    private readonly identityUrl: string,
    private readonly billingUrl: string,
    private readonly customer: SignedUpCustomer,
  ) {}

  static async signUp(identityUrl: string, billingUrl: string): Promise<BillingUnderSkew> {
    return new BillingUnderSkew(identityUrl, billingUrl, await signUp(identityUrl));
  }

  /** The customer's id, chosen by the identity provider: the `sub` of their tokens. */
  get customerId(): string {
    return this.customer.customerId;
  }

  /** A user token the identity provider just issued (see FRESH_WITHIN_MS). */
  async freshUserToken(): Promise<string> {
    for (let attempt = 1; attempt <= FRESH_TOKEN_ATTEMPTS; attempt++) {
      const token = await userToken(this.identityUrl, this.customer);
      if (Date.now() - Number(decodeJwt(token).iat) * 1_000 <= FRESH_WITHIN_MS) return token;
    }
    throw new Error(`no user token reached the scenario within ${FRESH_WITHIN_MS} ms of its iat in ${FRESH_TOKEN_ATTEMPTS} sign-ins: the machine is too busy`);
  }

  /**
   * The identity provider's published key that signed `token`, as an attacker reads it: the JWKS
   * named in the public discovery document.
   */
  async publishedKey(token: string): Promise<JWK> {
    const { jwks_uri: jwksUri } = await discover(this.identityUrl);
    const { keys } = (await (await fetch(jwksUri)).json()) as { keys: JWK[] };
    const { kid } = decodeProtectedHeader(token);
    const key = keys.find((k) => k.kid === kid) ?? keys[0];
    if (!key) throw new Error(`the identity provider publishes no signing key at ${jwksUri}`);
    return key;
  }

  async setSkew(skewMs: number): Promise<void> {
    const response = await fetch(`${this.billingUrl}/admin/clock`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ skewMs }),
    });
    if (response.status !== 200) {
      throw new Error(`billing answered PUT /admin/clock ${response.status}: ${await response.text()} — is it in workshop mode?`);
    }
  }

  /**
   * Skews billing, signs in for a token the identity provider issues right now, and reads with it
   * the customer's own billing profile, which billing does not have: a token billing accepts gets a
   * 404 (isServedNotFound), a refused one a 401.
   */
  async freshTokenAtSkew(skewMs: number): Promise<GuardAnswer> {
    await this.setSkew(skewMs);
    const token = await this.freshUserToken();
    return answerOf(await fetch(`${this.billingUrl}/customers/${this.customerId}`, { headers: { authorization: `Bearer ${token}` } }));
  }

  /** A payments read: it needs orders' service token for billing; a served one is the unknown key's 404. */
  async callPayments(token: string): Promise<GuardAnswer> {
    return answerOf(await fetch(`${this.billingUrl}/payments/requests/${randomUUID()}`, { headers: { authorization: `Bearer ${token}` } }));
  }

  async readinessStatus(): Promise<number> {
    return (await fetch(`${this.billingUrl}/ready`)).status;
  }

  async readinessDetail(): Promise<string> {
    const body = (await (await fetch(`${this.billingUrl}/ready`)).json()) as { detail?: string };
    return body.detail ?? '(no detail)';
  }

  async measuredSkewSeconds(peer: string): Promise<number> {
    return scrapeMetric(this.billingUrl, 'clock_skew_seconds', { peer });
  }
}

async function answerOf(response: Response): Promise<GuardAnswer> {
  const text = await response.text();
  let body: { claim?: unknown; detail?: unknown; title?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // a non-JSON body: the status says enough
  }
  return {
    status: response.status,
    contentType: (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '',
    ...(typeof body.claim === 'string' && { claim: body.claim }),
    detail: typeof body.detail === 'string' ? body.detail : typeof body.title === 'string' ? body.title : text.slice(0, 120),
  };
}

import { randomUUID } from 'node:crypto';
import type { JWK } from 'jose';
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
 * The answer a token the guard let through gets for a customer billing has never heard of: a
 * problem+json 404 from the controller. A 500 or a 503 is past the guard too, but it is not proof
 * that the token was accepted and the request served.
 */
export function isUnknownCustomerAnswer(answer: GuardAnswer): boolean {
  return answer.status === 404 && answer.contentType === 'application/problem+json';
}

/**
 * The scenario's client of article 2: gets user tokens from orders' POST /auth/tokens like any real
 * client, moves billing's clock with PUT /admin/clock (workshop mode), and calls billing with the
 * tokens to see what its guard answers.
 */
export class BillingUnderSkew {
  constructor(
    private readonly ordersUrl: string,
    private readonly billingUrl: string,
  ) {}

  async userToken(customerId: string): Promise<string> {
    const response = await fetch(`${this.ordersUrl}/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerId }),
    });
    if (response.status !== 201) throw new Error(`orders answered POST /auth/tokens ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { accessToken: string }).accessToken;
  }

  /** One of the keys orders publishes, as an attacker reads it from the public JWKS. */
  async publishedKey(): Promise<JWK> {
    const { keys } = (await (await fetch(`${this.ordersUrl}/.well-known/jwks.json`)).json()) as { keys: JWK[] };
    const key = keys[0];
    if (!key) throw new Error('orders publishes no signing key at /.well-known/jwks.json');
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
   * Skews billing, gets a token orders issues right now, and reads with it a customer billing does
   * not have: a token billing accepts gets a 404 (isUnknownCustomerAnswer), a refused one a 401.
   */
  async freshTokenAtSkew(skewMs: number): Promise<GuardAnswer> {
    await this.setSkew(skewMs);
    const customerId = randomUUID();
    const token = await this.userToken(customerId);
    return answerOf(await fetch(`${this.billingUrl}/customers/${customerId}`, { headers: { authorization: `Bearer ${token}` } }));
  }

  /** A payments read: it needs a service token for billing. */
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

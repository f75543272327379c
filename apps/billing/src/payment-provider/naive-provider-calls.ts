/**
 * WORKSHOP ONLY — article 6's failure, the double charge: a provider client that calls without an
 * Idempotency-Key and takes any 2xx body as the answer. A call whose response is lost (a timeout, a
 * dropped connection) may still have charged the card; the retry, with no key to tie it to the first
 * attempt, is a new charge. And a corrupt or truncated 200 is taken as an authorization, so billing
 * records whatever came back. PaymentProviderModule builds this client instead of the
 * HttpPaymentProvider when BILLING_PROVIDER_CALLS is `naive` (refused outside workshop mode, see
 * paymentProviderClientSettings).
 */
import { HttpPaymentProvider, type Operation } from './http-payment-provider.js';
import type { ProviderAuthorization } from './payment-provider.js';

export class UnkeyedPaymentProvider extends HttpPaymentProvider {
  /** No key: every retry is a new charge. */
  protected override headersFor(): Record<string, string> {
    return { 'content-type': 'application/json', accept: 'application/json' };
  }

  /** Whatever came back with a 2xx is taken as the charge. */
  protected override authorizationFrom(_operation: Operation, payload: unknown): ProviderAuthorization {
    return payload as ProviderAuthorization;
  }
}

/**
 * What the scenario reads from outside the system: the provider's record of charges (contract A)
 * and billing's payments API (contract D), each answer checked before it is trusted.
 */
export interface ProviderAuthorization {
  id: string;
  status: 'authorized' | 'captured' | 'voided' | 'refunded';
  orderReference: string;
}

export class PaymentObserver {
  private ordersServiceToken: Promise<string> | undefined;

  constructor(
    private readonly providerUrl: string,
    private readonly billingUrl: string,
    /** Where to get orders' service token for billing's payments API (workshop mode; article 2). */
    private readonly ordersUrl: string,
  ) {}

  /** Every authorization the provider holds for an order: the customer's charges. */
  async chargesFor(orderId: string): Promise<ProviderAuthorization[]> {
    const body = await this.json('GET', `${this.providerUrl}/v1/authorizations?orderReference=${orderId}`);
    return (body as { items: ProviderAuthorization[] }).items;
  }

  /** How many /v1/authorizations requests reached the provider since the last reset. */
  async authorizeRequestsReceived(): Promise<number> {
    const stats = (await this.json('GET', `${this.providerUrl}/admin/stats`)) as { byOperation: { authorize: number } };
    return stats.byOperation.authorize;
  }

  async resetProvider(faults: object): Promise<void> {
    await this.json('DELETE', `${this.providerUrl}/admin/faults`);
    await this.json('POST', `${this.providerUrl}/admin/stats/reset`);
    await this.json('PUT', `${this.providerUrl}/admin/faults`, faults);
  }

  async clearFaults(): Promise<void> {
    await this.json('DELETE', `${this.providerUrl}/admin/faults`);
  }

  /** POST /payments/authorizations on billing with the given key; resolves with the HTTP status. */
  async authorizeAtBilling(idempotencyKey: string, body: { orderId: string; customerId: string; amountMinor: number; currency: string }): Promise<number> {
    // Billing's payments take service tokens only: the scenario calls as orders' saga does, with its token.
    this.ordersServiceToken ??= this.json('POST', `${this.ordersUrl}/admin/service-tokens`, { audience: 'billing' }).then(
      (body) => (body as { accessToken: string }).accessToken,
    );
    const response = await fetch(`${this.billingUrl}/payments/authorizations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey, authorization: `Bearer ${await this.ordersServiceToken}` },
      body: JSON.stringify(body),
    });
    await response.text();
    return response.status;
  }

  private async json(method: string, url: string, body?: object): Promise<unknown> {
    const response = await fetch(url, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${await response.text()}`);
    const text = await response.text();
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }
}

/**
 * What the scenario reads from outside the system: the provider's record of charges (contract A)
 * and billing's payments API (contract D), each answer checked before it is trusted.
 */
export interface ProviderAuthorization {
  id: string;
  status: 'authorized' | 'captured' | 'voided' | 'refunded';
  orderReference: string;
}

/** The provider's /admin/stats, the parts the scenario reads. */
export interface ProviderStatsView {
  byOperation: { authorize: number };
  /** Authorize requests per Idempotency-Key: 2 or more for one key is a retry that reached the provider. */
  authorizeRequestsByKey: Record<string, number>;
  faultsApplied: { 'drop-response': number };
}

export class PaymentObserver {
  constructor(
    private readonly providerUrl: string,
    private readonly billingUrl: string,
    /** `fetch` as the orders service: billing's payments API takes orders' service tokens only (article 2). */
    private readonly asOrders: typeof fetch,
  ) {}

  /** Every authorization the provider holds for an order: the customer's charges. */
  async chargesFor(orderId: string): Promise<ProviderAuthorization[]> {
    const body = await this.json('GET', `${this.providerUrl}/v1/authorizations?orderReference=${orderId}`);
    return (body as { items: ProviderAuthorization[] }).items;
  }

  /** What reached the provider since the last reset: requests by operation, authorize requests by key, faults applied. */
  async providerStats(): Promise<ProviderStatsView> {
    return (await this.json('GET', `${this.providerUrl}/admin/stats`)) as ProviderStatsView;
  }

  /** The order of the charge the provider stored under an Idempotency-Key, or undefined if it stored none. */
  async orderChargedUnderKey(idempotencyKey: string): Promise<string | undefined> {
    const response = await fetch(`${this.providerUrl}/v1/requests/${encodeURIComponent(idempotencyKey)}`);
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`GET /v1/requests/${idempotencyKey} answered ${response.status}: ${await response.text()}`);
    const record = (await response.json()) as { operation: string; response: { orderReference?: unknown } };
    return record.operation === 'authorize' && typeof record.response.orderReference === 'string' ? record.response.orderReference : undefined;
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
    const response = await this.asOrders(`${this.billingUrl}/payments/authorizations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
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

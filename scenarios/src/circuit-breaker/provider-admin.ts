/**
 * The payment provider simulator's workshop switch (contract A): faults at run time, and the count
 * of requests that actually reached it — the scenario's proof that an open breaker protects it. The
 * scenario counts authorize requests (`byOperation.authorize`): those are billing's calls, while a
 * lookup may come from anyone reading the provider, such as a console showing an order's timeline.
 */
export interface ProviderFaults {
  latencyMs?: number;
  errorRate?: number;
  hang?: boolean;
  decline?: boolean;
}

export interface ProviderStats {
  requestsReceived: number;
  byOperation: Record<'authorize' | 'capture' | 'void' | 'refund' | 'lookup', number>;
  /** Authorize requests per Idempotency-Key the provider received (billing's keys, derived from its callers'). */
  authorizeRequestsByKey: Record<string, number>;
}

export class ProviderAdmin {
  constructor(readonly url: string) {}

  async setFaults(faults: ProviderFaults): Promise<void> {
    await this.send('PUT', '/admin/faults', faults);
  }

  async clearFaults(): Promise<void> {
    await this.send('DELETE', '/admin/faults');
  }

  async stats(): Promise<ProviderStats> {
    return (await this.send('GET', '/admin/stats')) as ProviderStats;
  }

  async resetStats(): Promise<void> {
    await this.send('POST', '/admin/stats/reset');
  }

  private async send(method: string, path: string, body?: object): Promise<unknown> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`payment provider ${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response.json();
  }
}

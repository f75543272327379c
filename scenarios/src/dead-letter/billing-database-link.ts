import { z } from 'zod';
import { loadConfig, port } from '@faultline/shared/config';

/** Toxiproxy's link between billing and its database (infra/topology.mjs): the scenario's outage switch. */
const PROXY = 'billing-postgres';

/**
 * Cuts and restores billing's database connection through Toxiproxy, as an outage would: billing's
 * pool loses its connections and new ones are refused until the link is back.
 */
export class BillingDatabaseLink {
  private readonly api: string;

  constructor() {
    const env = loadConfig('scenarios', z.object({ TOXIPROXY_PORT: port() }));
    this.api = `http://127.0.0.1:${env.TOXIPROXY_PORT}/proxies/${PROXY}`;
  }

  cut(): Promise<void> {
    return this.set(false);
  }

  restore(): Promise<void> {
    return this.set(true);
  }

  private async set(enabled: boolean): Promise<void> {
    const response = await fetch(this.api, { method: 'POST', body: JSON.stringify({ enabled }) });
    if (!response.ok) {
      throw new Error(`Toxiproxy refused to ${enabled ? 'restore' : 'cut'} ${PROXY}: ${response.status} ${await response.text()} — is it up? (\`npm run infra:status\`)`);
    }
  }
}

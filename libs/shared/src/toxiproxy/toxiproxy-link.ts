import { z } from 'zod';
import { loadConfig, port } from '../config/index.js';

export interface ToxiproxyLinkOptions {
  /** The proxy's name in infra/topology.mjs, e.g. `smtp` or `billing-postgres`. */
  proxy: string;
  /** Who reads TOXIPROXY_PORT from infra/faultline.env, named in a configuration error. */
  configFor: string;
}

/**
 * A test's outage switch on one Toxiproxy link between a service and a dependency: while the link
 * is cut, the proxy is disabled, so open connections drop and new ones are refused, as in an
 * outage. Restore it in a `finally`: the proxies are shared with every other suite on the machine.
 */
export class ToxiproxyLink {
  private readonly proxy: string;
  private readonly api: string;

  constructor({ proxy, configFor }: ToxiproxyLinkOptions) {
    const env = loadConfig(configFor, z.object({ TOXIPROXY_PORT: port() }));
    this.proxy = proxy;
    this.api = `http://127.0.0.1:${env.TOXIPROXY_PORT}/proxies/${proxy}`;
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
      throw new Error(
        `Toxiproxy refused to ${enabled ? 'restore' : 'cut'} ${this.proxy}: ${response.status} ${await response.text()} — ` +
          'is the proxy provisioned? (`npm run infra:status` shows it, `npm run infra:up` creates it)',
      );
    }
  }
}

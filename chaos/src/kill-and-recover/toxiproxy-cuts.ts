import { readFaultlineEnvironment } from '@faultline/shared/config';

/** A Toxiproxy toxic on one link: what the link does while it is on. */
export interface LinkCut {
  /** The proxy (infra/topology.mjs): orders-postgres, billing-postgres, notifications-postgres, kafka. */
  proxy: string;
  type: 'latency' | 'timeout' | 'reset_peer';
  attributes: Record<string, number>;
  /** What it does, for the narration. */
  describe: string;
}

/**
 * The cuts the run makes, one after another. Each is named `chaos-*` and stays on for a few
 * seconds only: the proxies are shared with the other suites.
 */
export const LINK_CUTS: LinkCut[] = [
  { proxy: 'orders-postgres', type: 'latency', attributes: { latency: 1_000, jitter: 250 }, describe: 'orders → PostgreSQL: +1 s latency' },
  { proxy: 'billing-postgres', type: 'timeout', attributes: { timeout: 0 }, describe: 'billing → PostgreSQL: black hole (timeout toxic)' },
  { proxy: 'kafka', type: 'reset_peer', attributes: { timeout: 500 }, describe: 'services → Kafka: connections reset after 500 ms' },
  { proxy: 'notifications-postgres', type: 'reset_peer', attributes: { timeout: 0 }, describe: 'notifications → PostgreSQL: connections reset' },
];

/** Toxiproxy's HTTP API (port TOXIPROXY_PORT): add a toxic, remove it. */
export class ToxiproxyLinks {
  private readonly api: string;
  private readonly active = new Set<string>();

  constructor(private readonly runId: string) {
    this.api = `http://127.0.0.1:${readFaultlineEnvironment().TOXIPROXY_PORT ?? '18474'}`;
  }

  async cut(link: LinkCut): Promise<void> {
    const name = this.toxicName(link);
    const response = await fetch(`${this.api}/proxies/${link.proxy}/toxics`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, type: link.type, stream: 'downstream', toxicity: 1, attributes: link.attributes }),
    });
    if (!response.ok) throw new Error(`Toxiproxy refused toxic ${name} on ${link.proxy}: ${response.status} ${await response.text()}`);
    this.active.add(`${link.proxy}/${name}`);
  }

  async heal(link: LinkCut): Promise<void> {
    const key = `${link.proxy}/${this.toxicName(link)}`;
    const response = await fetch(`${this.api}/proxies/${key.replace('/', '/toxics/')}`, { method: 'DELETE' });
    // 404: already gone (Toxiproxy restarted); anything else leaves the link cut for everybody.
    if (!response.ok && response.status !== 404) throw new Error(`Toxiproxy did not remove ${key}: ${response.status} ${await response.text()}`);
    this.active.delete(key);
  }

  /** Removes every toxic this run added and has not removed yet (the `finally` of the run). */
  async healAll(): Promise<void> {
    for (const key of [...this.active]) {
      await fetch(`${this.api}/proxies/${key.replace('/', '/toxics/')}`, { method: 'DELETE' }).catch(() => undefined);
      this.active.delete(key);
    }
  }

  private toxicName(link: LinkCut): string {
    return `chaos-${this.runId}-${link.type}`;
  }
}

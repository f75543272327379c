import { randomUUID } from 'node:crypto';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { ServiceProcess, eventually, freePorts, requireReachable } from '@faultline/shared/testing';
import type { Narrate } from '../chaos-report.js';

export type ServiceName = 'orders' | 'billing' | 'notifications' | 'payment-provider';
export const SERVICE_NAMES: readonly ServiceName[] = ['orders', 'billing', 'notifications', 'payment-provider'];

/** The saga's cut-over instant for this run's orders process: later than any order it will see, so none is fulfilled. */
const NO_ORDER_FULFILLED_BEFORE = '9999-12-31T23:59:59Z';

/**
 * Whom the services trust and where a suite gets its tokens: the identity provider (the walk of
 * every route as another customer), or a test issuer (the token attacks, which need a signer whose
 * clock they move). One authority per run: every service trusts exactly one issuer.
 */
export interface TokenAuthority {
  /** For the narration: what issues the tokens the services accept, and where. */
  readonly description: string;
  /** Given to every service: the `iss` it accepts and where that issuer's keys are. */
  readonly environment: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * The four services as child processes on free ports, wired to each other through their environment
 * (apps/<app>/src/config.ts) and trusting the tokens of one authority (`tokens`), which the suite
 * also asks for every token it sends.
 */
export class SystemUnderTest<Tokens extends TokenAuthority = TokenAuthority> {
  private constructor(
    readonly services: Record<ServiceName, ServiceProcess>,
    readonly tokens: Tokens,
  ) {}

  static async start<Tokens extends TokenAuthority>(narrate: Narrate, startTokens: () => Promise<Tokens>): Promise<SystemUnderTest<Tokens>> {
    const env = readFaultlineEnvironment();
    await requireReachable('PostgreSQL primary', Number(env.PG_PRIMARY_PORT));
    await requireReachable('PostgreSQL replica', Number(env.PG_REPLICA_PORT));
    await requireReachable('Kafka', Number(env.KAFKA_PORT));
    await requireReachable('Temporal', Number(env.TEMPORAL_PORT));
    const tokens = await startTokens();
    narrate(`tokens: ${tokens.description}`);
    // Ports first, so each service can be told where the others are before any of them starts.
    const [orders, billing, notifications, provider] = (await freePorts(4)) as [number, number, number, number];
    const ports: Record<ServiceName, number> = { orders, billing, notifications, 'payment-provider': provider };
    const peers = {
      ORDERS_HTTP_PORT: String(ports.orders),
      BILLING_HTTP_PORT: String(ports.billing),
      NOTIFICATIONS_HTTP_PORT: String(ports.notifications),
      PAYMENT_PROVIDER_HTTP_PORT: String(ports['payment-provider']),
      ...tokens.environment,
      LOG_LEVEL: 'warn',
      // Straight to PostgreSQL and Kafka, not through Toxiproxy: bad input is not about links, and
      // the scenarios and the kill-and-recover part cut the shared proxies while this runs.
      ...directLinks(env),
    };
    const extra: Record<ServiceName, Record<string, string>> = {
      orders: {
        // The saga's starter is a consumer of the order events like billing's and notifications':
        // it must dead-letter the bad events too, so it runs. It starts no workflow: every order is
        // placed before the cut-over instant, so the fuzz's orders stay placed instead of driving
        // thousands of payment calls through the provider simulator.
        ORDERS_FULFILMENT: 'saga',
        ORDERS_FULFILMENT_PLACED_SINCE: NO_ORDER_FULFILLED_BEFORE,
        // A queue of its own, so its worker takes no other run's workflows.
        ORDERS_FULFILMENT_TASK_QUEUE: `bad-input-${randomUUID().slice(0, 8)}`,
      },
      billing: {},
      notifications: {},
      'payment-provider': {},
    };
    const started = await Promise.allSettled(
      SERVICE_NAMES.map((app) =>
        ServiceProcess.start({ app, port: ports[app], env: () => ({ ...peers, ...extra[app] }), logName: `bad-input-${app}` }),
      ),
    );
    const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failed = started.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    if (failed.length > 0) {
      await Promise.all(running.map((service) => service.stop()));
      await tokens.stop();
      throw new Error(`a service did not start: ${failed.map(String).join('\n')}`);
    }
    const byName = Object.fromEntries(running.map((service) => [service.app, service])) as Record<ServiceName, ServiceProcess>;
    for (const app of SERVICE_NAMES) narrate(`${app} on ${byName[app].url} (log ${byName[app].logFile})`);
    return new SystemUnderTest(byName, tokens);
  }

  url(service: ServiceName, path: string): string {
    return `${this.services[service].url}${path}`;
  }

  /** Resolves once `service` answers 200 on /ready again, or after `timeoutMs`. */
  async readyAgain(service: ServiceName, timeoutMs: number): Promise<void> {
    await eventually(
      async () => ((await fetch(this.url(service, '/ready')).then((response) => response.status, () => 0)) === 200 ? true : undefined),
      { timeoutMs, intervalMs: 250, what: `${service} ready again` },
    ).catch(() => undefined);
  }

  /** Every service still running and answering 200 on /ready. */
  async allReady(): Promise<{ ready: boolean; detail: string }> {
    const states = await Promise.all(
      SERVICE_NAMES.map(async (app) => {
        const service = this.services[app];
        if (!service.running) return `${app} exited`;
        const status = await fetch(`${service.url}/ready`).then(
          (response) => response.status,
          (error: unknown) => `no answer (${String(error)})`,
        );
        return status === 200 ? undefined : `${app} /ready ${status}`;
      }),
    );
    const problems = states.filter((state) => state !== undefined);
    return { ready: problems.length === 0, detail: problems.length === 0 ? 'all four running and ready' : problems.join('; ') };
  }

  async stop(): Promise<void> {
    await Promise.all(SERVICE_NAMES.map((app) => this.services[app].stop()));
    await this.tokens.stop();
  }
}

/** A token is reissued after this long: well inside its 10-minute lifetime, so a long run never sends a stale one. */
const TOKEN_REFRESH_MS = 5 * 60_000;

/** Tokens by what they are for, each reused until it is TOKEN_REFRESH_MS old. */
export class TokenCache {
  private readonly tokens = new Map<string, { token: Promise<string>; at: number }>();

  get(key: string, mint: () => Promise<string>): Promise<string> {
    const hit = this.tokens.get(key);
    if (hit && Date.now() - hit.at < TOKEN_REFRESH_MS) return hit.token;
    const token = mint();
    this.tokens.set(key, { token, at: Date.now() });
    // A refused or failed request is asked again next time, not remembered.
    token.catch(() => {
      if (this.tokens.get(key)?.token === token) this.tokens.delete(key);
    });
    return token;
  }
}

/** Each service's Toxiproxy ports pointed at what they proxy (infra/faultline.env). */
function directLinks(env: Record<string, string | undefined>): Record<string, string> {
  const primary = env.PG_PRIMARY_PORT ?? '';
  const replica = env.PG_REPLICA_PORT ?? '';
  return {
    TOXIPROXY_ORDERS_PG_PORT: primary,
    TOXIPROXY_BILLING_PG_PORT: primary,
    TOXIPROXY_NOTIFICATIONS_PG_PORT: primary,
    TOXIPROXY_ORDERS_PG_REPLICA_PORT: replica,
    TOXIPROXY_BILLING_PG_REPLICA_PORT: replica,
    TOXIPROXY_KAFKA_PORT: env.KAFKA_PORT ?? '',
  };
}

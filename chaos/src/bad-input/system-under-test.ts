import { randomUUID } from 'node:crypto';
import { SkewedClock, SystemClock } from '@faultline/shared/clock';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { ServiceProcess, eventually, freePort, requireReachable, startTestIssuer, type TestIssuer } from '@faultline/shared/testing';
import type { Narrate } from '../chaos-report.js';

export type ServiceName = 'orders' | 'billing' | 'notifications' | 'payment-provider';
export const SERVICE_NAMES: readonly ServiceName[] = ['orders', 'billing', 'notifications', 'payment-provider'];

/** The saga's cut-over instant for this run's orders process: later than any order it will see, so none is fulfilled. */
const NO_ORDER_FULFILLED_BEFORE = '9999-12-31T23:59:59Z';

/** A token is reissued after this long: well inside its 10-minute lifetime, so a long run never sends a stale one. */
const TOKEN_REFRESH_MS = 5 * 60_000;

/**
 * The four services as child processes on free ports, wired to each other through their environment
 * (apps/<app>/src/config.ts) and verifying tokens of one test issuer (FAULTLINE_JWKS_URL), so the
 * fuzz can hold a valid token for every route and forge every kind of bad one from the same keys.
 * The issuer's clock can be moved to mint expired and not-yet-valid tokens.
 */
export class SystemUnderTest {
  private readonly tokens = new Map<string, { token: string; at: number }>();

  private constructor(
    readonly services: Record<ServiceName, ServiceProcess>,
    readonly issuer: TestIssuer,
    readonly issuerClock: SkewedClock,
  ) {}

  static async start(narrate: Narrate): Promise<SystemUnderTest> {
    const env = readFaultlineEnvironment();
    await requireReachable('PostgreSQL primary', Number(env.PG_PRIMARY_PORT));
    await requireReachable('PostgreSQL replica', Number(env.PG_REPLICA_PORT));
    await requireReachable('Kafka', Number(env.KAFKA_PORT));
    await requireReachable('Temporal', Number(env.TEMPORAL_PORT));
    const issuerClock = new SkewedClock(new SystemClock(), 0);
    const issuer = await startTestIssuer(issuerClock);
    // Ports first, so each service can be told where the others are before any of them starts.
    const ports: Record<ServiceName, number> = {
      orders: await freePort(),
      billing: await freePort(),
      notifications: await freePort(),
      'payment-provider': await freePort(),
    };
    const peers = {
      ORDERS_HTTP_PORT: String(ports.orders),
      BILLING_HTTP_PORT: String(ports.billing),
      NOTIFICATIONS_HTTP_PORT: String(ports.notifications),
      PAYMENT_PROVIDER_HTTP_PORT: String(ports['payment-provider']),
      FAULTLINE_JWKS_URL: issuer.jwksUrl,
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
        // thousands of payment calls whose service tokens (orders' own keys) billing, trusting only
        // the test issuer, would refuse.
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
      await issuer.stop();
      throw new Error(`bad-input: a service did not start: ${failed.map(String).join('\n')}`);
    }
    const byName = Object.fromEntries(running.map((service) => [service.app, service])) as Record<ServiceName, ServiceProcess>;
    for (const app of SERVICE_NAMES) narrate(`${app} on ${byName[app].url} (log ${byName[app].logFile})`);
    return new SystemUnderTest(byName, issuer, issuerClock);
  }

  url(service: ServiceName, path: string): string {
    return `${this.services[service].url}${path}`;
  }

  /** A user token (aud faultline-api) for a customer, reused until it is TOKEN_REFRESH_MS old. */
  userToken(customerId: string): Promise<string> {
    return this.cached(`user:${customerId}`, () => this.issuer.userToken(customerId));
  }

  /** A user token with the operator scope (company-wide reports), reused like the others. */
  operatorToken(): Promise<string> {
    return this.cached('operator', () => this.issuer.operatorToken('bad-input-operator'));
  }

  /** A service token of `subject` for `audience`: what orders' saga holds to call billing's payments. */
  serviceToken(subject: string, audience: string): Promise<string> {
    return this.cached(`service:${subject}:${audience}`, () => this.issuer.serviceToken(subject, audience));
  }

  /** Mints with the issuer's clock moved by `offsetMs`: -1 h gives an expired token, +1 h one not valid yet. */
  async tokenIssuedAt(offsetMs: number, mint: (issuer: TestIssuer) => Promise<string>): Promise<string> {
    this.issuerClock.setSkew(offsetMs);
    try {
      return await mint(this.issuer);
    } finally {
      this.issuerClock.setSkew(0);
    }
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
    await this.issuer.stop();
  }

  private async cached(key: string, mint: () => Promise<string>): Promise<string> {
    const hit = this.tokens.get(key);
    if (hit && Date.now() - hit.at < TOKEN_REFRESH_MS) return hit.token;
    const token = await mint();
    this.tokens.set(key, { token, at: Date.now() });
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

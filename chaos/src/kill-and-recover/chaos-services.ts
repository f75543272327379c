import { DEFAULT_ABUSE_LIMITS } from '@faultline/shared/abuse-limits';
import { freePorts, ServiceProcess, type ServiceProcessOptions } from '@faultline/shared/testing';

/**
 * From spawn to /ready while the machine is also running the load, the other services and, often,
 * other suites: restarts took 2–30 s on the 2-core workshop machine, and a Kafka consumer rejoining a
 * group whose killed member has not timed out yet waits for that session timeout too.
 */
const READY_TIMEOUT_MS = 180_000;

/** Orders' replicas: each is an OAuth client of the identity provider on its own. */
const ORDERS_REPLICAS = 2;

/**
 * The processes the run starts, kills and restarts: the identity provider, two orders replicas (for
 * the relay hand-over) and one of each other service.
 */
export type ServiceName = 'identity' | 'orders-a' | 'orders-b' | 'billing' | 'notifications' | 'payment-provider';

export interface ChaosServicesOptions {
  /** Names the run in log files and the saga's task queue. */
  runId: string;
  /** Orders placed before this instant are not fulfilled by this run's saga (its starter reads the topic from the start). */
  startedAt: Date;
  /** The customers of the load, who sign up and sign in at the identity provider. */
  customers: number;
}

/**
 * The whole system on free ports (scenarios hold 3101–3104), each service pointed at its peers by
 * the variables its config.ts reads. Every process is started the way an operator starts it and can
 * be `kill -9`ed and restarted on the same port with the same environment.
 *
 * Tokens are enforced, as in a deployment: every service trusts the run's identity provider
 * (FAULTLINE_TOKEN_ISSUER, its keys at `<issuer>/oidc/jwks`), the customers sign in there, and each
 * orders replica asks it for its own service tokens for billing (client credentials). The provider
 * keeps its signing keys in its database, so it is one of the processes the run kills: every
 * service restarted after it fetches the keys from the restarted provider and must still accept the
 * tokens it issued before (the customers' and the replicas' cached ones).
 */
export class ChaosServices {
  private readonly processes = new Map<ServiceName, ServiceProcess>();

  private constructor(
    private readonly options: Map<ServiceName, ServiceProcessOptions>,
    readonly taskQueue: string,
  ) {}

  static async start({ runId, startedAt, customers }: ChaosServicesOptions): Promise<ChaosServices> {
    const [identityPort, ordersA, ordersB, billing, notifications, provider] = (await freePorts(6)) as [number, number, number, number, number, number];
    const ports = { identity: identityPort, ordersA, ordersB, billing, notifications, provider };
    const taskQueue = `chaos-${runId}`;
    const issuer = `http://127.0.0.1:${ports.identity}`;
    const identity = {
      IDENTITY_HTTP_PORT: String(ports.identity),
      IDENTITY_ISSUER: issuer,
      // Sign-ups, sign-ins and token requests are paced per client address (ADR 0016). In a
      // deployment each customer and each orders replica has an address of its own; here all of them
      // share 127.0.0.1, so that address gets the sum of their budgets.
      FAULTLINE_RATE_LIMIT_CREDENTIALS_PER_MINUTE: String((customers + ORDERS_REPLICAS) * DEFAULT_ABUSE_LIMITS.requestsPerMinute.credentials),
    };
    const peers = {
      FAULTLINE_TOKEN_ISSUER: issuer,
      BILLING_HTTP_PORT: String(ports.billing),
      NOTIFICATIONS_HTTP_PORT: String(ports.notifications),
      PAYMENT_PROVIDER_HTTP_PORT: String(ports.provider),
    };
    const orders = (port: number): Record<string, string> => ({
      ...peers,
      ORDERS_HTTP_PORT: String(port),
      ORDERS_FULFILMENT: 'saga',
      // Its own queue, so no other process's worker takes this run's workflows.
      ORDERS_FULFILMENT_TASK_QUEUE: taskQueue,
      ORDERS_FULFILMENT_PLACED_SINCE: startedAt.toISOString(),
    });
    const options = new Map<ServiceName, ServiceProcessOptions>([
      ['identity', { app: 'identity', port: ports.identity, env: () => identity }],
      ['payment-provider', { app: 'payment-provider', port: ports.provider, env: () => ({ ...peers, ORDERS_HTTP_PORT: String(ports.ordersA) }) }],
      [
        'billing',
        // Its daily-run worker gets a queue of its own too: the run must not take other suites' billing runs.
        { app: 'billing', port: ports.billing, env: () => ({ ...peers, ORDERS_HTTP_PORT: String(ports.ordersA), BILLING_RUN_TASK_QUEUE: `${taskQueue}-billing-runs` }) },
      ],
      ['notifications', { app: 'notifications', port: ports.notifications, env: () => ({ ...peers, ORDERS_HTTP_PORT: String(ports.ordersA) }) }],
      ['orders-a', { app: 'orders', port: ports.ordersA, env: () => orders(ports.ordersA) }],
      ['orders-b', { app: 'orders', port: ports.ordersB, env: () => orders(ports.ordersB) }],
    ]);
    for (const [name, serviceOptions] of options) {
      serviceOptions.logName = `chaos-${name}`;
      serviceOptions.readyTimeoutMs = READY_TIMEOUT_MS;
    }
    const services = new ChaosServices(options, taskQueue);
    try {
      // Each service has its own database; the second orders replica waits for the first's migrations.
      await Promise.all((['identity', 'payment-provider', 'billing', 'notifications', 'orders-a'] as const).map((name) => services.restart(name)));
      await services.restart('orders-b');
    } catch (error) {
      await services.stopAll();
      throw error;
    }
    return services;
  }

  url(name: ServiceName): string {
    return this.process(name).url;
  }

  /** The identity provider's issuer URL: where the customers sign in and every service gets its keys. */
  get issuer(): string {
    return this.url('identity');
  }

  /** The orders replicas' URLs, for the load to spread over (and fail over between). */
  get ordersUrls(): string[] {
    return [this.url('orders-a'), this.url('orders-b')];
  }

  running(name: ServiceName): boolean {
    return this.processes.get(name)?.running ?? false;
  }

  /** `kill -9`: no shutdown hook, in-flight requests and transactions cut where they are. */
  async kill(name: ServiceName): Promise<void> {
    await this.processes.get(name)?.kill();
  }

  /** Starts it again on its port with its environment; resolves once /ready answers 200. */
  async restart(name: ServiceName): Promise<void> {
    const options = this.options.get(name);
    if (!options) throw new Error(`no service named ${name}`);
    this.processes.set(name, await ServiceProcess.start(options));
  }

  /** Restarts whatever is not running (after a failure half-way through a fault). */
  async restartStopped(): Promise<void> {
    for (const name of this.options.keys()) if (!this.running(name)) await this.restart(name);
  }

  /** True once every service answers 200 on /ready (its database and Kafka are back). */
  async allReady(): Promise<boolean> {
    const answers = await Promise.all(
      [...this.processes.values()].map((service) =>
        fetch(`${service.url}/ready`, { signal: AbortSignal.timeout(2_000) }).then(
          (response) => response.status === 200,
          () => false,
        ),
      ),
    );
    return answers.every(Boolean);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.processes.values()].map((service) => service.stop()));
  }

  private process(name: ServiceName): ServiceProcess {
    const service = this.processes.get(name);
    if (!service) throw new Error(`${name} was never started`);
    return service;
  }
}

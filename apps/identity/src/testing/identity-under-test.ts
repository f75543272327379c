import { readFaultlineEnvironment } from '@faultline/shared/config';
import { ServiceProcess, requireReachable } from '@faultline/shared/testing';

export interface StartIdentityOptions {
  /** Environment on top of infra/faultline.env (given the port chosen), e.g. a short key reload interval. */
  env?: (port: number) => Record<string, string>;
  /** A fixed port (a scenario that others reach at IDENTITY_HTTP_PORT); default any free port. */
  port?: number;
}

/**
 * The identity provider as an operator runs it (`node apps/identity/dist/main.js`, built first), as a
 * child process on a free port with its real database, health-gated on /ready. Its issuer is then
 * `http://127.0.0.1:<port>` (`service.url`). Stop it with `service.stop()`.
 */
export async function startIdentity({ env, port = undefined }: StartIdentityOptions = {}): Promise<ServiceProcess> {
  const infra = readFaultlineEnvironment();
  await requireReachable('PostgreSQL primary (the identity database)', Number(infra.PG_PRIMARY_PORT));
  await requireReachable('Kafka', Number(infra.KAFKA_PORT));
  return ServiceProcess.start({
    app: 'identity',
    port: port ?? 'free',
    env: (chosen) => ({ IDENTITY_HTTP_PORT: String(chosen), IDENTITY_ISSUER: `http://127.0.0.1:${chosen}`, ...env?.(chosen) }),
  });
}

import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogEntry } from '@temporalio/worker';
import type { Logger as PinoLogger } from 'pino';

/** Says what to do, not just what failed: the usual cause is the dev server not running. */
function unreachable(address: string, error: unknown): Error {
  return new Error(
    `Temporal is not reachable at ${address} (${String(error)}) — run \`npm run infra:up\`, ` +
      'or set ORDERS_FULFILMENT=off to run orders without its fulfilment saga',
    { cause: error },
  );
}

export async function connectWorker(address: string): Promise<NativeConnection> {
  return NativeConnection.connect({ address }).catch((error: unknown) => {
    throw unreachable(address, error);
  });
}

export async function connectClient(address: string, namespace: string): Promise<Client> {
  const connection = await Connection.connect({ address, connectTimeout: 5_000 }).catch((error: unknown) => {
    throw unreachable(address, error);
  });
  return new Client({ connection, namespace });
}

/**
 * Sends the Temporal SDK's own logs (worker state changes, retries) to the service's pino logger,
 * warnings and up. The runtime is per process: when one exists already (a test that started another
 * worker first), it is kept.
 */
export function routeTemporalLogs(logger: PinoLogger): void {
  const log = ({ level, message, meta }: LogEntry) => (level === 'ERROR' ? logger.error({ temporal: meta }, message) : logger.warn({ temporal: meta }, message));
  try {
    Runtime.install({ logger: new DefaultLogger('WARN', log) });
  } catch {
    // Already installed in this process; its logger stays.
  }
}

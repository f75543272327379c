import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogEntry } from '@temporalio/worker';
import type { Logger } from 'pino';
import { tracingClientInterceptors } from './tracing/index.js';

/** Where a service's Temporal server is: the dev server of the topology unless configured otherwise. */
export interface TemporalAddress {
  address: string;
  namespace: string;
}

/**
 * Says what to do, not only what failed: the usual cause is the dev server not running. `fallback`
 * names the service's switch that runs it without its workflows, when it has one.
 */
function unreachable(address: string, error: unknown, fallback?: string): Error {
  return new Error(`Temporal is not reachable at ${address} (${String(error)}) — run \`npm run infra:up\`${fallback ? `, or ${fallback}` : ''}`, {
    cause: error,
  });
}

export function connectTemporalWorker(address: string, fallback?: string): Promise<NativeConnection> {
  return NativeConnection.connect({ address }).catch((error: unknown) => {
    throw unreachable(address, error, fallback);
  });
}

/** A client whose workflow starts join the active trace (see tracingClientInterceptors). */
export async function connectTemporalClient({ address, namespace }: TemporalAddress, fallback?: string): Promise<Client> {
  const connection = await Connection.connect({ address, connectTimeout: 5_000 }).catch((error: unknown) => {
    throw unreachable(address, error, fallback);
  });
  return new Client({ connection, namespace, interceptors: tracingClientInterceptors() });
}

/**
 * Sends the Temporal SDK's own logs (worker state changes, retries; not its bundler's chatter) to the
 * service's pino logger, warnings and up. The runtime is per process: when one exists already (a test
 * that started another worker first), it is kept.
 */
export function routeTemporalLogs(logger: Logger): void {
  const log = ({ level, message, meta }: LogEntry) =>
    level === 'ERROR' ? logger.error({ temporal: meta }, message) : logger.warn({ temporal: meta }, message);
  try {
    Runtime.install({ logger: new DefaultLogger('WARN', log) });
  } catch {
    // Already installed in this process; its logger stays.
  }
}

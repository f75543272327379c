import { connect } from 'node:net';

/**
 * Integration tests run against the real infrastructure that `npm run infra:up` starts. When a piece
 * is missing they fail at once with the cause and the fix — they never skip, because a skipped test
 * reads as a pass in a summary nobody opens.
 */
export class InfrastructureUnavailableError extends Error {
  constructor(component: string, address: string, cause: string) {
    super(`${component} is not reachable at ${address} (${cause}) — run \`npm run infra:up\`, then retry.`);
    this.name = 'InfrastructureUnavailableError';
  }
}

/** Resolves when a TCP connection to host:port succeeds; rejects with a clear error otherwise. */
export async function requireReachable(
  component: string,
  port: number,
  host = '127.0.0.1',
  timeoutMs = 2_000,
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port });
    const fail = (cause: string) => {
      socket.destroy();
      reject(new InfrastructureUnavailableError(component, `${host}:${port}`, cause));
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs} ms`));
    socket.once('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
  });
}

import { connect } from 'node:net';
import type { WatchedPart } from '../config.js';
import type { InfrastructurePart, LinkView } from '../console-api.js';

/** Each part gets this long to accept a connection or answer. */
const PROBE_TIMEOUT_MS = 1_500;

/** Whether the part accepts a connection (PostgreSQL, Kafka, Temporal, MailDev) or answers its API 2xx (Jaeger, Toxiproxy). */
export async function probePart(part: WatchedPart): Promise<InfrastructurePart> {
  if (part.probe === 'http') {
    const address = new URL(part.url).host;
    try {
      const response = await fetch(part.url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      return response.ok
        ? { name: part.name, address, state: 'up', detail: 'answers' }
        : { name: part.name, address, state: 'down', detail: `HTTP ${response.status}` };
    } catch (error) {
      return { name: part.name, address, state: 'down', detail: `no answer (${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name})` };
    }
  }
  const address = `${part.host}:${part.port}`;
  const refused = await new Promise<string | undefined>((resolve) => {
    const socket = connect({ host: part.host, port: part.port, timeout: PROBE_TIMEOUT_MS });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(`no connection within ${PROBE_TIMEOUT_MS} ms`);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
  return refused ? { name: part.name, address, state: 'down', detail: refused } : { name: part.name, address, state: 'up', detail: 'accepts connections' };
}

interface ToxiproxyProxy {
  name?: string;
  listen?: string;
  upstream?: string;
  enabled?: boolean;
  toxics?: { name?: string; type?: string; attributes?: Record<string, unknown> }[];
}

/** Toxiproxy's `GET /proxies` as the page draws the links, by name. */
export function linkViews(proxies: Record<string, ToxiproxyProxy>): LinkView[] {
  return Object.entries(proxies)
    .map(([name, proxy]): LinkView => {
      const toxics = proxy.toxics ?? [];
      const at = { name, listen: proxy.listen ?? '', upstream: proxy.upstream ?? '' };
      if (proxy.enabled === false) return { ...at, state: 'cut', detail: 'disabled: connections are refused' };
      if (toxics.length > 0) {
        const detail = toxics.map((toxic) => `${toxic.type ?? toxic.name ?? 'toxic'} ${JSON.stringify(toxic.attributes ?? {})}`).join('; ');
        return { ...at, state: 'slowed', detail };
      }
      return { ...at, state: 'open', detail: 'open' };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

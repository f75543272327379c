// Network probes used by the health checks: plain sockets and HTTP, no client libraries.
import net from 'node:net';
import { loopback } from '../topology.mjs';
import { runCommand } from './run-command.mjs';

/** Resolves with a connected socket's first bytes handling, or rejects on error / timeout. */
function connect(port, timeoutMs) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: loopback, port: Number(port) });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

export async function tcpAccepts(port, { timeoutMs = 1_000 } = {}) {
  try {
    (await connect(port, timeoutMs)).destroy();
    return true;
  } catch {
    return false;
  }
}

/** True when nothing listens on loopback:port (we could bind it ourselves). */
export function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: loopback, port: Number(port), exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A free ephemeral port on loopback. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host: loopback, port: 0 }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** "postgres (pid 1234)" for whoever listens on the port, as far as `ss` can tell. */
export async function describePortHolder(port) {
  try {
    const result = await runCommand('ss', ['-Hltnp', `sport = :${port}`], { timeoutMs: 5_000 });
    const users = /users:\(\("([^"]+)",pid=(\d+)/.exec(result.stdout);
    return users ? `${users[1]} (pid ${users[2]})` : 'an unknown process';
  } catch {
    return 'an unknown process';
  }
}

/** GET as a browser would ask (single-page UIs such as MailDev's answer HTML only to `Accept: text/html`). */
export async function httpGet(port, path, { timeoutMs = 2_000 } = {}) {
  const response = await fetch(`http://${loopback}:${port}${path}`, {
    headers: { accept: 'text/html,application/json;q=0.9,*/*;q=0.8' },
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, body: await response.text() };
}

/** Reads the SMTP server's greeting line (a ready server says `220 ...`), then says QUIT. */
export async function smtpGreeting(port, { timeoutMs = 2_000 } = {}) {
  const socket = await connect(port, timeoutMs);
  return new Promise((resolve, reject) => {
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk;
      if (received.includes('\n')) {
        socket.end('QUIT\r\n');
        resolve(received.split(/\r?\n/)[0]);
      }
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('closed before greeting')));
  });
}

/**
 * Sends a Kafka Metadata v1 request (no topics) and returns the brokers the cluster advertises.
 * A broker answers it only once it has joined the KRaft quorum and is serving requests, which a
 * TCP connect cannot tell.
 * @returns {Promise<{ brokers: { nodeId: number, host: string, port: number }[], controllerId: number }>}
 */
export async function kafkaMetadata(port, { timeoutMs = 3_000 } = {}) {
  const clientId = Buffer.from('faultline-infra');
  const correlationId = 0x0fa017;
  const request = Buffer.alloc(4 + 2 + 2 + 4 + 2 + clientId.length + 4);
  let offset = request.writeInt32BE(request.length - 4, 0);
  offset = request.writeInt16BE(3, offset); // api_key: Metadata
  offset = request.writeInt16BE(1, offset); // api_version 1
  offset = request.writeInt32BE(correlationId, offset);
  offset = request.writeInt16BE(clientId.length, offset);
  offset += clientId.copy(request, offset);
  request.writeInt32BE(0, offset); // topics: empty array = none (null would mean all)

  const socket = await connect(port, timeoutMs);
  const response = await new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length >= 4 && buffered.length >= 4 + buffered.readInt32BE(0)) {
        socket.destroy();
        resolve(buffered.subarray(4, 4 + buffered.readInt32BE(0)));
      }
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('connection closed before a Metadata response')));
    socket.write(request);
  });

  let at = 0;
  const int16 = () => { const v = response.readInt16BE(at); at += 2; return v; };
  const int32 = () => { const v = response.readInt32BE(at); at += 4; return v; };
  const string = () => {
    const length = int16();
    if (length < 0) return null;
    const v = response.toString('utf8', at, at + length);
    at += length;
    return v;
  };
  if (int32() !== correlationId) throw new Error('Metadata response with a foreign correlation id');
  const brokers = [];
  for (let count = int32(); count > 0; count -= 1) {
    const nodeId = int32();
    const host = string();
    const brokerPort = int32();
    string(); // rack
    brokers.push({ nodeId, host, port: brokerPort });
  }
  return { brokers, controllerId: int32() };
}

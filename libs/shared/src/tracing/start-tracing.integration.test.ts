import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';

/**
 * A process started the way a service's main.ts starts: tracing first, then node:http loaded by
 * `await import()`. It prints its port, answers every request with 200, and stops on SIGTERM.
 */
const TRACED_SERVER = `
  const { startTracing } = await import(${JSON.stringify(new URL('./index.js', import.meta.url).href)});
  await startTracing({ name: 'tracing-probe', version: '1.2.3' });
  const { createServer } = await import('node:http');
  const server = createServer((request, response) => response.end('ok'));
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
`;

interface ExportedSpan {
  service: unknown;
  version: unknown;
  name: string;
  kind: number;
}

/** An OTLP/HTTP receiver (JSON, as exporter-trace-otlp-http sends) that keeps every span it gets. */
class FakeCollector {
  readonly spans: ExportedSpan[] = [];
  private readonly server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v1/traces') this.keep(JSON.parse(body));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return String((this.server.address() as AddressInfo).port);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private keep(request: OtlpTraceRequest): void {
    for (const { resource, scopeSpans } of request.resourceSpans) {
      const attribute = (key: string) => resource.attributes.find((a) => a.key === key)?.value.stringValue;
      for (const { spans } of scopeSpans) {
        for (const span of spans) this.spans.push({ service: attribute('service.name'), version: attribute('service.version'), name: span.name, kind: span.kind });
      }
    }
  }
}

interface OtlpTraceRequest {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: { name: string; kind: number }[] }[];
  }[];
}

/** Starts the traced server with `env` (and no OTEL_* variable of this process), asks each path, then stops it with SIGTERM. */
async function requestAndStop(env: Record<string, string>, paths: string[]): Promise<{ stoppedInMs: number; stderr: string }> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('OTEL_')));
  const child = spawn(process.execPath, ['--input-type=module', '--eval', TRACED_SERVER], {
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit');
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  const { port } = JSON.parse(line.toString()) as { port: number };
  for (const path of paths) assert.equal((await fetch(`http://127.0.0.1:${port}${path}`)).status, 200);
  const stopping = Date.now();
  child.kill('SIGTERM');
  const [, signal] = await exited;
  assert.equal(signal, 'SIGTERM', `${stderr}: it ends by the signal it got`);
  return { stoppedInMs: Date.now() - stopping, stderr };
}

/** A loopback port nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('startTracing', { timeout: 20_000 }, () => {
  const collector = new FakeCollector();
  let jaegerPort: string;

  before(async () => {
    jaegerPort = await collector.start();
  });
  after(() => collector.stop());

  it("exports a server span per request to JAEGER_OTLP_HTTP_PORT, with the service's name and version, none for /health, before a SIGTERM ends the process", async () => {
    collector.spans.length = 0;
    await requestAndStop({ JAEGER_OTLP_HTTP_PORT: jaegerPort }, ['/orders/42', '/health', '/ready']);
    assert.deepEqual(collector.spans, [{ service: 'tracing-probe', version: '1.2.3', name: 'GET', kind: 2 }]);
  });

  it('exports nothing with OTEL_SDK_DISABLED=true', async () => {
    collector.spans.length = 0;
    const { stderr } = await requestAndStop({ JAEGER_OTLP_HTTP_PORT: jaegerPort, OTEL_SDK_DISABLED: 'true' }, ['/orders/42']);
    assert.deepEqual(collector.spans, []);
    assert.equal(stderr, '');
  });

  it('still stops within 2 s, quietly, when the collector refuses every export', async () => {
    const { stoppedInMs, stderr } = await requestAndStop({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await closedPort()}` }, ['/orders/42']);
    assert.ok(stoppedInMs < 2_000, `stopped after ${stoppedInMs} ms`);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  });
});

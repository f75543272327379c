import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { httpMetricsMiddleware } from './http-metrics.middleware.js';
import { ServiceMetrics } from './service-metrics.js';

function request(method: string, url: string, route?: string): IncomingMessage {
  return Object.assign(new EventEmitter(), { method, url, ...(route ? { route: { path: route }, baseUrl: '' } : {}) }) as never;
}

/** The `_count` samples of the histogram, as `method route status → count`. */
async function counts(metrics: ServiceMetrics): Promise<Record<string, number>> {
  const { values } = await metrics.httpRequestDuration.get();
  return Object.fromEntries(
    values
      .filter((v) => v.metricName === 'http_request_duration_seconds_count')
      .map((v) => [`${v.labels.method} ${v.labels.route} ${v.labels.status}`, v.value]),
  );
}

function respond(req: IncomingMessage, middleware: ReturnType<typeof httpMetricsMiddleware>, status: number): void {
  const res = Object.assign(new EventEmitter(), { statusCode: status }) as unknown as ServerResponse;
  middleware(req, res, () => undefined);
  res.emit('close');
}

describe('httpMetricsMiddleware', () => {
  it('labels a request with its route template, never the raw URL', async () => {
    const metrics = new ServiceMetrics({ name: 'orders', version: '1.2.3' });
    const middleware = httpMetricsMiddleware(metrics);
    const req = request('GET', '/orders/3f1c…', undefined);
    // Express sets req.route once a route matched, i.e. after this middleware ran.
    respond(Object.assign(req, { route: { path: '/orders/:id' }, baseUrl: '' }), middleware, 200);
    assert.deepEqual(await counts(metrics), { 'GET /orders/:id 200': 1 });
  });

  it('puts requests that matched no route under one "unmatched" label', async () => {
    const metrics = new ServiceMetrics({ name: 'orders', version: '1.2.3' });
    const middleware = httpMetricsMiddleware(metrics);
    respond(request('GET', '/wp-admin'), middleware, 404);
    respond(request('GET', '/.env'), middleware, 404);
    assert.deepEqual(await counts(metrics), { 'GET unmatched 404': 2 });
  });

  it('exposes the default Node.js metrics with the service label', async () => {
    const metrics = new ServiceMetrics({ name: 'billing', version: '1.2.3' });
    const text = await metrics.registry.metrics();
    assert.ok(text.includes('process_cpu_user_seconds_total{service="billing"}'), 'default process metrics');
    assert.ok(text.includes('nodejs_eventloop_lag_seconds{service="billing"}'), 'default Node.js metrics');
  });
});

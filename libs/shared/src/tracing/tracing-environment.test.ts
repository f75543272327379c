import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isProbePath } from './instrumentations.js';
import { traceEndpoint, tracingEnvironment } from './tracing-environment.js';

describe('tracingEnvironment', () => {
  it("names the service, sends spans to Jaeger's OTLP/HTTP port on loopback, and exports no metrics or logs", () => {
    const { enabled, variables, warning } = tracingEnvironment('orders', { JAEGER_OTLP_HTTP_PORT: '14318', PG_PRIMARY_PORT: '15432' });
    assert.equal(enabled, true);
    assert.deepEqual(variables, {
      OTEL_SERVICE_NAME: 'orders',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:14318',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    });
    assert.equal(warning, undefined);
  });

  it('keeps every OTEL_* variable already set, from the process or infra/faultline.env, over its defaults', () => {
    const { variables } = tracingEnvironment('orders', {
      JAEGER_OTLP_HTTP_PORT: '14318',
      OTEL_SERVICE_NAME: 'orders-canary',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    });
    assert.equal(variables.OTEL_SERVICE_NAME, 'orders-canary');
    assert.equal(variables.OTEL_METRICS_EXPORTER, 'otlp');
    assert.equal(variables.OTEL_LOGS_EXPORTER, 'none');
    assert.equal(variables.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://collector:4318');
    assert.equal(variables.OTEL_TRACES_SAMPLER, 'parentbased_traceidratio');
  });

  it('leaves the endpoint alone when only the traces endpoint is set', () => {
    const { variables, warning } = tracingEnvironment('billing', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' });
    assert.equal(variables.OTEL_EXPORTER_OTLP_ENDPOINT, undefined);
    assert.equal(warning, undefined);
  });

  it("falls back to OpenTelemetry's default collector, and says so, when the Jaeger port is missing or not a port", () => {
    for (const [env, reason] of [
      [{}, 'not set'],
      [{ JAEGER_OTLP_HTTP_PORT: 'jaeger' }, 'not a port ("jaeger")'],
      [{ JAEGER_OTLP_HTTP_PORT: '70000' }, 'not a port ("70000")'],
    ] as const) {
      const { enabled, variables, warning } = tracingEnvironment('notifications', env);
      assert.equal(enabled, true);
      assert.equal(variables.OTEL_EXPORTER_OTLP_ENDPOINT, undefined);
      assert.equal(
        warning,
        `notifications: JAEGER_OTLP_HTTP_PORT is ${reason}; traces go to http://localhost:4318. ` +
          'Set it in infra/faultline.env, or set OTEL_EXPORTER_OTLP_ENDPOINT.',
      );
    }
  });

  it('turns everything off with OTEL_SDK_DISABLED=true, in any case, and sets nothing', () => {
    for (const value of ['true', 'TRUE', ' True ']) {
      assert.deepEqual(tracingEnvironment('orders', { OTEL_SDK_DISABLED: value }), { enabled: false, variables: {} });
    }
    assert.equal(tracingEnvironment('orders', { OTEL_SDK_DISABLED: 'false', JAEGER_OTLP_HTTP_PORT: '14318' }).enabled, true);
  });
});

describe('traceEndpoint', () => {
  it('is the traces endpoint when set, else /v1/traces under the base endpoint or the default', () => {
    assert.equal(traceEndpoint({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://a:1/t' }), 'http://a:1/t');
    assert.equal(traceEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:14318/' }), 'http://127.0.0.1:14318/v1/traces');
    assert.equal(traceEndpoint({}), 'http://localhost:4318/v1/traces');
  });
});

describe('isProbePath', () => {
  it('matches the liveness, readiness, metrics and clock probes with or without a query, and nothing else', () => {
    for (const path of ['/health', '/ready', '/metrics', '/time', '/ready?verbose=1']) assert.equal(isProbePath(path), true, path);
    for (const path of ['/orders', '/healthy', '/admin/clock', undefined]) assert.equal(isProbePath(path), false, String(path));
  });
});

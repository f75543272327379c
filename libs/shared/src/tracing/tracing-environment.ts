/** OpenTelemetry's own default collector address, used when no Jaeger port is configured. */
const OTEL_DEFAULT_ENDPOINT = 'http://localhost:4318';

/** The variable of infra/faultline.env that gives Jaeger's OTLP/HTTP receiver port. */
const JAEGER_PORT_VARIABLE = 'JAEGER_OTLP_HTTP_PORT';

/** What `startTracing` writes into the process environment before the SDK reads it. */
export interface TracingEnvironment {
  /** False when OTEL_SDK_DISABLED=true: nothing is set and nothing starts. */
  enabled: boolean;
  /** The OTEL_* variables the SDK is to read: Faultline's defaults, overridden by those already set. */
  variables: Record<string, string>;
  /** Said once on stderr: the configuration falls back to something the operator may not expect. */
  warning?: string;
}

/** OpenTelemetry's reading of a boolean variable: `true` in any case is on, anything else off. */
function isTrue(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === 'true';
}

/**
 * The SDK reads only the standard OTEL_* variables, so Faultline's defaults are written into them:
 * the service's name, Jaeger's OTLP/HTTP port on loopback from `JAEGER_OTLP_HTTP_PORT`, and no
 * metrics or logs exporters (sdk-node defaults both to OTLP, which Jaeger does not accept; metrics
 * go to Prometheus, logs to stdout). `env` is infra/faultline.env overridden by the process
 * environment, so an OTEL_* variable set in either wins over these defaults.
 */
export function tracingEnvironment(service: string, env: Record<string, string | undefined>): TracingEnvironment {
  if (isTrue(env.OTEL_SDK_DISABLED)) return { enabled: false, variables: {} };
  const variables: Record<string, string> = {
    OTEL_SERVICE_NAME: service,
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
  };
  let warning: string | undefined;
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT && !env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    const given = env[JAEGER_PORT_VARIABLE];
    const port = jaegerPort(given);
    if (port) variables.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${port}`;
    else
      warning =
        `${service}: ${JAEGER_PORT_VARIABLE} is ${given ? `not a port (${JSON.stringify(given)})` : 'not set'}; ` +
        `traces go to ${OTEL_DEFAULT_ENDPOINT}. Set it in infra/faultline.env, or set OTEL_EXPORTER_OTLP_ENDPOINT.`;
  }
  // Those set in infra/faultline.env count too: the SDK sees only the process environment.
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('OTEL_') && value !== undefined) variables[name] = value;
  }
  return { enabled: true, variables, ...(warning ? { warning } : {}) };
}

function jaegerPort(value: string | undefined): number | undefined {
  const port = Number(value);
  return value && Number.isInteger(port) && port >= 1 && port <= 65535 ? port : undefined;
}

/** Where the OTLP/HTTP exporter sends spans under these variables, for messages. */
export function traceEndpoint(env: Record<string, string | undefined>): string {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  return `${(env.OTEL_EXPORTER_OTLP_ENDPOINT || OTEL_DEFAULT_ENDPOINT).replace(/\/$/, '')}/v1/traces`;
}

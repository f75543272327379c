// The local topology of Faultline, defined once. `node infra/native/cli.mjs up` provisions it from
// native binaries; `node infra/compose/generate.mjs` turns it into infra/docker-compose.yml.
//
// It is data only: how a component is started natively lives in infra/native/components/, how it is
// rendered for Docker in infra/compose/generate.mjs. Values come from `env` (see infra/native/env.mjs);
// the compose generator passes an env whose values are `${NAME:-default}` placeholders, so nothing
// here may compute with a value (no arithmetic on ports): only place it.

/** Versions of what the native provisioning builds and the images compose pulls. */
export const versions = Object.freeze({
  postgres: '15',
  kafka: '3.9.1', // also in infra/kafka/pom.xml
  temporalCli: '1.5.1',
  temporalTestServer: '1.38.0', // also in infra/temporal/pom.xml
  toxiproxy: '2.5.0', // newest v2 the Go module proxy lists
  maildevImage: '2.2.1', // newest published image; natively the npm devDependency (v3) runs
  prometheus: '2.42.0', // Debian 12's package natively; the same release's image in compose
  // Jaeger tags each release twice: v2.x for the Jaeger v2 binary (its image tag and version string)
  // and v1.x for the Go module that holds it; the module version is the `require` of infra/jaeger/go.mod.
  jaeger: '2.12.0',
  jaegerModule: '1.75.0',
});

/** Every component listens on loopback only: nothing of the sandbox is reachable from outside. */
export const loopback = '127.0.0.1';

/** The Kafka broker's node id, used in its config and checked by its health probe. */
export const kafkaNodeId = 1;

/** A port of the topology, with the faultline.env variable that sets it. */
function port(env, variable, name) {
  return { name, variable, port: env[variable] };
}

/**
 * @param {Record<string, string>} env values of infra/faultline.env (process environment applied)
 */
export function faultlineTopology(env) {
  // The payment provider is a simulator of an outside company (article 6); it keeps its charges in a
  // database of its own like any provider would, never in billing's. The identity provider keeps its
  // accounts, OAuth state and signing keys in its own too.
  const serviceDatabases = ['orders', 'billing', 'notifications', 'payment-provider', 'identity'].map((service) => {
    const prefix = service.toUpperCase().replaceAll('-', '_');
    return {
      service,
      database: env[`${prefix}_DB_NAME`],
      user: env[`${prefix}_DB_USER`],
      password: env[`${prefix}_DB_PASSWORD`],
    };
  });

  const postgres = {
    superuser: env.PG_SUPERUSER,
    superuserPassword: env.PG_SUPERUSER_PASSWORD,
    replicationUser: env.PG_REPLICATION_USER,
    replicationPassword: env.PG_REPLICATION_PASSWORD,
    serviceDatabases,
    // Server settings of the primary; the replica gets these plus `replicaSettings`.
    primarySettings: {
      wal_level: 'replica',
      max_wal_senders: '10',
      wal_keep_size: '256MB', // lets a replica that was down a while catch up without a slot
      hot_standby: 'on',
      timezone: 'UTC',
      log_timezone: 'UTC',
    },
    replicaSettings: {
      hot_standby: 'on',
      hot_standby_feedback: 'on',
    },
  };

  const components = [
    {
      name: 'postgres-primary',
      summary: 'PostgreSQL 15 primary: one database and login role per service',
      image: `postgres:${versions.postgres}`,
      ports: [port(env, 'PG_PRIMARY_PORT', 'postgres')],
      dependsOn: [],
      health: [{ check: 'pg_isready', port: env.PG_PRIMARY_PORT }],
    },
    {
      name: 'postgres-replica',
      summary: 'PostgreSQL 15 hot standby streaming from the primary',
      image: `postgres:${versions.postgres}`,
      ports: [port(env, 'PG_REPLICA_PORT', 'postgres')],
      dependsOn: ['postgres-primary'],
      health: [
        { check: 'pg_isready', port: env.PG_REPLICA_PORT },
        { check: 'sql', port: env.PG_REPLICA_PORT, query: 'select pg_is_in_recovery()', expect: 't' },
        {
          check: 'sql',
          port: env.PG_PRIMARY_PORT,
          query: "select count(*) > 0 from pg_stat_replication where state = 'streaming'",
          expect: 't',
        },
      ],
    },
    {
      name: 'kafka',
      summary: `Apache Kafka ${versions.kafka}, one KRaft node (broker + controller)`,
      image: `apache/kafka:${versions.kafka}`,
      ports: [
        port(env, 'KAFKA_PORT', 'plaintext'),
        port(env, 'KAFKA_PROXIED_PORT', 'proxied'),
        port(env, 'KAFKA_CONTROLLER_PORT', 'controller'),
      ],
      dependsOn: [],
      health: [{ check: 'kafka-metadata', port: env.KAFKA_PORT, nodeId: kafkaNodeId }],
    },
    {
      name: 'temporal',
      summary: `Temporal dev server (CLI ${versions.temporalCli}, SQLite, web UI)`,
      image: `temporalio/temporal:${versions.temporalCli}`,
      ports: [port(env, 'TEMPORAL_PORT', 'frontend'), port(env, 'TEMPORAL_UI_PORT', 'ui')],
      namespace: env.TEMPORAL_NAMESPACE,
      dependsOn: [],
      health: [
        { check: 'temporal-cluster-health', port: env.TEMPORAL_PORT },
        { check: 'http', port: env.TEMPORAL_UI_PORT, path: '/' },
      ],
    },
    {
      name: 'temporal-test-server',
      summary: `Temporal Java time-skipping test server ${versions.temporalTestServer}, started by the tests`,
      // Not a long-running server: @temporalio/testing starts it per test run, so compose has no service.
      onDemand: true,
      image: null,
      ports: [port(env, 'TEMPORAL_TEST_SERVER_PORT', 'frontend')],
      dependsOn: [],
      health: [{ check: 'smoke-start' }],
    },
    {
      name: 'toxiproxy',
      summary: `Toxiproxy ${versions.toxiproxy} between the services and their dependencies`,
      image: `ghcr.io/shopify/toxiproxy:${versions.toxiproxy}`,
      ports: [port(env, 'TOXIPROXY_PORT', 'api')],
      dependsOn: ['postgres-primary', 'postgres-replica', 'kafka', 'maildev'],
      health: [{ check: 'http', port: env.TOXIPROXY_PORT, path: '/version' }, { check: 'toxiproxy-proxies' }],
    },
    {
      name: 'maildev',
      summary: 'MailDev mail sink: SMTP in, web UI out',
      image: `maildev/maildev:${versions.maildevImage}`,
      ports: [port(env, 'MAILDEV_SMTP_PORT', 'smtp'), port(env, 'MAILDEV_WEB_PORT', 'web')],
      dependsOn: [],
      health: [
        { check: 'http', port: env.MAILDEV_WEB_PORT, path: '/' },
        { check: 'smtp-greeting', port: env.MAILDEV_SMTP_PORT },
      ],
    },
    {
      name: 'prometheus',
      summary: `Prometheus ${versions.prometheus}: scrapes every service, evaluates infra/prometheus/alerts.yml`,
      image: `prom/prometheus:v${versions.prometheus}`,
      ports: [port(env, 'PROMETHEUS_PORT', 'http')],
      dependsOn: [],
      health: [{ check: 'http', port: env.PROMETHEUS_PORT, path: '/-/ready' }],
    },
    {
      name: 'jaeger',
      summary: `Jaeger ${versions.jaeger}, the trace store: OTLP in, spans kept in memory, query API out`,
      image: `jaegertracing/jaeger:${versions.jaeger}`,
      ports: [
        port(env, 'JAEGER_OTLP_GRPC_PORT', 'otlp-grpc'),
        port(env, 'JAEGER_OTLP_HTTP_PORT', 'otlp-http'),
        port(env, 'JAEGER_QUERY_HTTP_PORT', 'query-http'),
        port(env, 'JAEGER_QUERY_GRPC_PORT', 'query-grpc'),
        port(env, 'JAEGER_HEALTH_PORT', 'health'),
      ],
      dependsOn: [],
      health: [
        // 503 while its pipeline and extensions start, 200 once every one of them reports OK.
        { check: 'http', port: env.JAEGER_HEALTH_PORT, path: '/status' },
        { check: 'http', port: env.JAEGER_QUERY_HTTP_PORT, path: '/api/services' },
      ],
    },
  ];

  // Toxiproxy's proxies: each service reaches its dependencies only through these, so tests can
  // inject latency, cut connections or black-hole traffic per service.
  const proxy = (name, listenVariable, upstreamComponent, upstreamVariable) => ({
    name,
    listen: port(env, listenVariable, name),
    upstream: { component: upstreamComponent, port: env[upstreamVariable] },
  });
  const proxies = [
    proxy('orders-postgres', 'TOXIPROXY_ORDERS_PG_PORT', 'postgres-primary', 'PG_PRIMARY_PORT'),
    proxy('billing-postgres', 'TOXIPROXY_BILLING_PG_PORT', 'postgres-primary', 'PG_PRIMARY_PORT'),
    proxy('notifications-postgres', 'TOXIPROXY_NOTIFICATIONS_PG_PORT', 'postgres-primary', 'PG_PRIMARY_PORT'),
    proxy('orders-postgres-replica', 'TOXIPROXY_ORDERS_PG_REPLICA_PORT', 'postgres-replica', 'PG_REPLICA_PORT'),
    proxy('billing-postgres-replica', 'TOXIPROXY_BILLING_PG_REPLICA_PORT', 'postgres-replica', 'PG_REPLICA_PORT'),
    // Upstream is the broker's PROXIED listener, which advertises the Toxiproxy port back to clients.
    proxy('kafka', 'TOXIPROXY_KAFKA_PORT', 'kafka', 'KAFKA_PROXIED_PORT'),
    // notifications' SMTP conversations with the mail sink.
    proxy('smtp', 'TOXIPROXY_SMTP_PORT', 'maildev', 'MAILDEV_SMTP_PORT'),
  ];

  // The services run from the monorepo (npm), not from this provisioning; listed so every port of
  // faultline.env has exactly one place in the topology.
  const services = ['orders', 'billing', 'notifications', 'payment-provider', 'identity', 'console'].map((name) => ({
    name,
    http: port(env, `${name.toUpperCase().replaceAll('-', '_')}_HTTP_PORT`, 'http'),
  }));

  return { components, postgres, proxies, services };
}

/** Every port the topology places, with the variable that sets it. */
export function topologyPorts(topology) {
  return [
    ...topology.components.flatMap((component) => component.ports.map((p) => ({ owner: component.name, ...p }))),
    ...topology.proxies.map((p) => ({ owner: 'toxiproxy', ...p.listen })),
    ...topology.services.map((s) => ({ owner: s.name, ...s.http })),
  ];
}

/** Components in an order where each comes after everything it depends on. */
export function startOrder(components) {
  const byName = new Map(components.map((c) => [c.name, c]));
  const ordered = [];
  const visiting = new Set();
  const visit = (component) => {
    if (ordered.includes(component)) return;
    if (visiting.has(component.name)) throw new Error(`dependency cycle through ${component.name}`);
    visiting.add(component.name);
    for (const dependency of component.dependsOn) {
      const target = byName.get(dependency);
      if (!target) throw new Error(`${component.name} depends on unknown component ${dependency}`);
      visit(target);
    }
    ordered.push(component);
  };
  components.forEach(visit);
  return ordered;
}

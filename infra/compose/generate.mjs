#!/usr/bin/env node
// Generates infra/docker-compose.yml from infra/topology.mjs: `node infra/compose/generate.mjs`.
// Every port and credential is written as `${NAME:-default}`, default taken from infra/faultline.env,
// so compose honours the same variables (and process-environment overrides) as the native run.
// Containers listen on the same port numbers inside as outside, so the topology's ports hold for both.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { propertyEntries, renderKafkaServerProperties } from '../kafka/server-properties.mjs';
import { postgresBootstrapSql } from '../postgres/bootstrap-sql.mjs';
import { renderPrometheusConfig } from '../prometheus/scrape-config.mjs';
import { faultlineTopology, loopback, startOrder } from '../topology.mjs';
import { loadFaultlineEnv } from '../native/env.mjs';
import { toYaml } from './yaml.mjs';

export const composeFilePath = fileURLToPath(new URL('../docker-compose.yml', import.meta.url));

/** faultline.env as compose placeholders; reading a variable the file lacks is a bug, so it throws. */
function placeholderEnv(fileEnv) {
  const placeholders = Object.fromEntries(Object.entries(fileEnv).map(([name, value]) => [name, `\${${name}:-${value}}`]));
  return new Proxy(placeholders, {
    get(target, name) {
      if (typeof name === 'string' && !(name in target)) throw new Error(`infra/faultline.env has no ${name}`);
      return target[name];
    },
  });
}

const healthcheck = (test) => ({ test, interval: '2s', timeout: '5s', retries: 60, start_period: '5s' });
const publish = (port) => `${loopback}:${port}:${port}`;
const settingFlags = (settings) => Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]);

/** The apache/kafka image maps KAFKA_X_Y to x.y (and `__` to `_`, `___` to `-`). */
const kafkaVariable = (property) =>
  `KAFKA_${property.replaceAll('_', '__').replaceAll('-', '___').replaceAll('.', '_').toUpperCase()}`;

/** Per component: how it runs in a container. Everything topological comes from `spec`/`topology`. */
const services = {
  'postgres-primary': (spec, { env, topology }) => ({
    image: spec.image,
    environment: {
      POSTGRES_USER: topology.postgres.superuser,
      POSTGRES_PASSWORD: topology.postgres.superuserPassword,
      PGPORT: env.PG_PRIMARY_PORT, // both the server and the init scripts' psql use it
    },
    command: ['postgres', ...settingFlags({ listen_addresses: '*', ...topology.postgres.primarySettings })],
    ports: spec.ports.map((p) => publish(p.port)),
    volumes: ['pg-primary:/var/lib/postgresql/data'],
    configs: [
      { source: 'postgres-replication-hba', target: '/docker-entrypoint-initdb.d/10-replication-hba.sh' },
      { source: 'postgres-bootstrap', target: '/docker-entrypoint-initdb.d/20-bootstrap.sql' },
    ],
    healthcheck: healthcheck(['CMD', 'pg_isready', '-h', loopback, '-p', env.PG_PRIMARY_PORT]),
  }),

  'postgres-replica': (spec, { env, topology }) => ({
    image: spec.image,
    user: 'postgres',
    environment: { PGPORT: env.PG_REPLICA_PORT, PGPASSWORD: topology.postgres.replicationPassword },
    entrypoint: ['bash', '-ec', replicaEntrypoint(env, topology)],
    ports: spec.ports.map((p) => publish(p.port)),
    volumes: ['pg-replica:/var/lib/postgresql/data'],
    healthcheck: healthcheck([
      'CMD-SHELL',
      `pg_isready -h ${loopback} && psql -U ${topology.postgres.superuser} -Atc 'select pg_is_in_recovery()' | grep -qx t`,
    ]),
  }),

  kafka: (spec, { env }) => {
    const properties = renderKafkaServerProperties({ ...env, BIND_HOST: '0.0.0.0', LOG_DIRS: '/var/lib/kafka/data' });
    return {
      image: spec.image,
      environment: {
        CLUSTER_ID: env.KAFKA_CLUSTER_ID,
        ...Object.fromEntries(propertyEntries(properties).map(([key, value]) => [kafkaVariable(key), value])),
        KAFKA_HEAP_OPTS: '-Xms256m -Xmx512m',
      },
      ports: spec.ports.map((p) => publish(p.port)),
      volumes: ['kafka:/var/lib/kafka/data'],
      healthcheck: healthcheck([
        'CMD-SHELL',
        `/opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server ${loopback}:${env.KAFKA_PORT} > /dev/null`,
      ]),
    };
  },

  temporal: (spec, { env }) => ({
    image: spec.image,
    user: '0:0', // the image's user cannot write to a fresh named volume
    command: [
      'server', 'start-dev',
      '--ip', '0.0.0.0',
      '--port', env.TEMPORAL_PORT,
      '--ui-port', env.TEMPORAL_UI_PORT,
      '--db-filename', '/var/lib/temporal/dev.sqlite',
      '--namespace', spec.namespace,
      '--log-level', 'warn',
    ],
    ports: spec.ports.map((p) => publish(p.port)),
    volumes: ['temporal:/var/lib/temporal'],
    healthcheck: healthcheck(['CMD', 'temporal', 'operator', 'cluster', 'health', '--address', `${loopback}:${env.TEMPORAL_PORT}`]),
  }),

  toxiproxy: (spec, { env, topology }) => ({
    image: spec.image,
    command: ['-host=0.0.0.0', `-port=${env.TOXIPROXY_PORT}`, '-config=/toxiproxy.json'],
    ports: [...spec.ports, ...topology.proxies.map((p) => p.listen)].map((p) => publish(p.port)),
    configs: [{ source: 'toxiproxy-proxies', target: '/toxiproxy.json' }],
    healthcheck: healthcheck(['CMD', '/toxiproxy-cli', `--host=http://${loopback}:${env.TOXIPROXY_PORT}`, 'list']),
  }),

  maildev: (spec, { env }) => ({
    image: spec.image,
    environment: { MAILDEV_SMTP_PORT: env.MAILDEV_SMTP_PORT, MAILDEV_WEB_PORT: env.MAILDEV_WEB_PORT },
    ports: spec.ports.map((p) => publish(p.port)),
    healthcheck: healthcheck(['CMD-SHELL', `wget -qO /dev/null http://${loopback}:${env.MAILDEV_WEB_PORT}/healthz`]),
  }),

  // The services run on the host (npm), not in compose: Prometheus reaches them through the gateway.
  prometheus: (spec, { env }) => ({
    image: spec.image,
    command: [
      '--config.file=/etc/prometheus/prometheus.yml',
      `--web.listen-address=0.0.0.0:${env.PROMETHEUS_PORT}`,
      '--storage.tsdb.retention.time=7d',
    ],
    extra_hosts: ['host.docker.internal:host-gateway'],
    ports: spec.ports.map((p) => publish(p.port)),
    volumes: ['./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro'],
    configs: [{ source: 'prometheus-config', target: '/etc/prometheus/prometheus.yml' }],
    healthcheck: healthcheck(['CMD', 'wget', '-qO', '/dev/null', `http://${loopback}:${env.PROMETHEUS_PORT}/-/ready`]),
  }),

  // The native run's infra/jaeger/jaeger.yaml: the image sets JAEGER_LISTEN_HOST=0.0.0.0, its listen host.
  jaeger: (spec, { env }) => ({
    image: spec.image,
    command: ['--config=file:/etc/jaeger/jaeger.yaml'],
    environment: Object.fromEntries(spec.ports.map((p) => [p.variable, env[p.variable]])),
    ports: spec.ports.map((p) => publish(p.port)),
    volumes: ['./jaeger/jaeger.yaml:/etc/jaeger/jaeger.yaml:ro'],
    healthcheck: healthcheck(['CMD', 'wget', '-qO', '/dev/null', `http://${loopback}:${env.JAEGER_HEALTH_PORT}/status`]),
  }),
};

function replicaEntrypoint(env, topology) {
  // `$$` is compose's escape for a literal `$` (the shell's variables, not compose's).
  const settings = settingFlags({ listen_addresses: '*', ...topology.postgres.primarySettings, ...topology.postgres.replicaSettings });
  return [
    'if [ ! -s "$$PGDATA/PG_VERSION" ]; then',
    `  until pg_basebackup -R -X stream -c fast -D "$$PGDATA" -h postgres-primary -p ${env.PG_PRIMARY_PORT} -U ${topology.postgres.replicationUser} -w; do`,
    '    echo "waiting for the primary"; rm -rf "$$PGDATA"/*; sleep 1',
    '  done',
    'fi',
    'chmod 0700 "$$PGDATA"',
    `exec postgres ${settings.map((word) => (word === '-c' ? word : `'${word}'`)).join(' ')}`,
    '',
  ].join('\n');
}

function configs(env, topology) {
  const proxies = topology.proxies.map((proxy) => ({
    name: proxy.name,
    listen: `0.0.0.0:${proxy.listen.port}`,
    upstream: `${proxy.upstream.component}:${proxy.upstream.port}`,
    enabled: true,
  }));
  return {
    'postgres-replication-hba': {
      content: [
        '# Lets the replica stream from the primary (sourced by the image entrypoint after initdb).',
        `echo "host replication ${topology.postgres.replicationUser} all scram-sha-256" >> "$$PGDATA/pg_hba.conf"`,
        '',
      ].join('\n'),
    },
    'postgres-bootstrap': { content: postgresBootstrapSql(topology.postgres) },
    'toxiproxy-proxies': { content: `${JSON.stringify(proxies, null, 2)}\n` },
    'prometheus-config': {
      content: renderPrometheusConfig(topology, { serviceHost: 'host.docker.internal', rulesPath: '/etc/prometheus/alerts.yml' }),
    },
  };
}

/** The text of infra/docker-compose.yml for the given faultline.env values (file values, no overrides). */
export function renderCompose(fileEnv = loadFaultlineEnv({ processEnv: {} })) {
  const env = placeholderEnv(fileEnv);
  const topology = faultlineTopology(env);
  const context = { env, topology };
  const inCompose = startOrder(topology.components).filter((spec) => spec.image);
  const document = {
    name: 'faultline',
    services: Object.fromEntries(
      inCompose.map((spec) => {
        const service = services[spec.name](spec, context);
        if (spec.dependsOn.length) {
          service.depends_on = Object.fromEntries(spec.dependsOn.map((name) => [name, { condition: 'service_healthy' }]));
        }
        return [spec.name, service];
      }),
    ),
    volumes: { 'pg-primary': {}, 'pg-replica': {}, kafka: {}, temporal: {} },
    configs: configs(env, topology),
  };
  const onDemand = topology.components.filter((spec) => !spec.image).map((spec) => spec.name);
  const header = [
    '# generated from infra/topology.mjs by `node infra/compose/generate.mjs`; do not edit by hand',
    '# (infra/compose/compose.test.mjs fails when this file and the topology disagree).',
    '#',
    '# The same topology as `npm run infra:up`, in containers: `docker compose -f infra/docker-compose.yml up -d`.',
    '# Each ${NAME:-default} defaults to infra/faultline.env; a variable set in the environment wins.',
    '# Needs Docker Compose 2.23.1+ (inline `configs: content`).',
    `# Not here: ${onDemand.join(', ')} (the tests start it themselves).`,
  ];
  return `${header.join('\n')}\n${toYaml(document)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(composeFilePath, renderCompose());
  console.log(`wrote ${composeFilePath}`);
}

// The native implementation of each component of infra/topology.mjs, by component name.
import { jaeger } from './jaeger.mjs';
import { kafka } from './kafka.mjs';
import { maildev } from './maildev.mjs';
import { postgresPrimary, postgresReplica } from './postgres.mjs';
import { prometheus } from './prometheus.mjs';
import { temporal } from './temporal.mjs';
import { temporalTestServer } from './temporal-test-server.mjs';
import { toxiproxy } from './toxiproxy.mjs';

const implementations = [postgresPrimary, postgresReplica, kafka, temporal, temporalTestServer, toxiproxy, maildev, prometheus, jaeger];

export const nativeComponents = Object.freeze(Object.fromEntries(implementations.map((c) => [c.name, c])));

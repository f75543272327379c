// Apache Kafka 3.9.1 as one KRaft node, run straight from the Maven Central jars (no tarball).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderKafkaServerProperties } from '../../kafka/server-properties.mjs';
import { loopback } from '../../topology.mjs';
import { infraDir, logFile, statePaths } from '../paths.mjs';
import { javaLauncher } from '../prerequisites.mjs';
import { resolveMavenJars } from '../build-cache.mjs';
import { runningPid, spawnDetached } from '../process-control.mjs';
import { ProvisioningError } from '../provisioning-error.mjs';
import { reportStep } from '../progress.mjs';
import { lastLine, runCommand } from '../run-command.mjs';

const libsDir = join(statePaths.kafka, 'libs');
const serverProperties = join(statePaths.kafka, 'server.properties');
const logDir = join(statePaths.data, 'kafka');
const classpath = `${libsDir}/*`;

const loggingFlags = () => [
  `-Dlog4j.configuration=file:${join(infraDir, 'kafka', 'log4j.properties')}`,
  `-Dkafka.logs.dir=${statePaths.logs}`,
];

/** The cluster id a formatted log dir belongs to, from its meta.properties. */
function formattedClusterId() {
  try {
    return /^cluster\.id=(.+)$/m.exec(readFileSync(join(logDir, 'meta.properties'), 'utf8'))?.[1].trim();
  } catch {
    return undefined;
  }
}

export const kafka = {
  name: 'kafka',
  startTimeoutMs: 90_000,
  stopGraceMs: 30_000,

  runningPid: () => runningPid('kafka'),

  async prepare({ env }) {
    if (!existsSync(libsDir) || !existsSync(`${libsDir}.pom-sha256`)) {
      reportStep(this.name, 'resolving the Kafka 3.9.1 jars with Maven (first run only)');
    }
    await resolveMavenJars({ component: this.name, pomPath: join(infraDir, 'kafka', 'pom.xml'), libsDir });

    mkdirSync(logDir, { recursive: true });
    writeFileSync(serverProperties, renderKafkaServerProperties({ ...env, BIND_HOST: loopback, LOG_DIRS: logDir }));

    const clusterId = formattedClusterId();
    if (clusterId === env.KAFKA_CLUSTER_ID) return;
    if (clusterId) {
      throw new ProvisioningError(`${logDir} was formatted for cluster ${clusterId}, but KAFKA_CLUSTER_ID is ${env.KAFKA_CLUSTER_ID}`, {
        component: this.name,
        hint: `delete ${logDir} to start an empty cluster`,
      });
    }
    reportStep(this.name, 'formatting the KRaft log dir (first run only)');
    const result = await runCommand(
      javaLauncher(),
      [...loggingFlags(), '-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', env.KAFKA_CLUSTER_ID, '-c', serverProperties, '--ignore-formatted'],
      { timeoutMs: 120_000, logPath: logFile(this.name) },
    );
    if (result.code !== 0) {
      throw new ProvisioningError(`kafka-storage format failed (${lastLine(result)})`, { component: this.name, logPath: logFile(this.name) });
    }
  },

  async start() {
    return spawnDetached(this.name, javaLauncher(), [
      '-Xms256m',
      '-Xmx512m',
      '-XX:+UseSerialGC',
      ...loggingFlags(),
      '-cp',
      classpath,
      'kafka.Kafka',
      serverProperties,
    ]);
  },
};

// The server settings and client-authentication rules Faultline writes into a cluster's data folder
// on every `up`, from infra/topology.mjs and faultline.env.
import { appendFileSync, chownSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loopback } from '../topology.mjs';
import { clusterOwner } from './postgres-cluster-owner.mjs';
import { socketDir } from './postgres-client.mjs';

/** Our settings live in faultline.conf, included last by postgresql.conf, rewritten on every start. */
export function writeServerConfig(dataDir, port, settings) {
  const lines = [
    '# Written by infra/native/components/postgres.mjs on every `up` (from infra/topology.mjs and faultline.env).',
    `listen_addresses = '${loopback}'`,
    `port = ${port}`,
    `unix_socket_directories = '${socketDir}'`,
    ...Object.entries(settings).map(([key, value]) => `${key} = '${value}'`),
  ];
  const { uid, gid } = clusterOwner();
  const confPath = join(dataDir, 'faultline.conf');
  writeFileSync(confPath, `${lines.join('\n')}\n`);
  chownSync(confPath, uid, gid);
  const mainConf = join(dataDir, 'postgresql.conf');
  if (!readFileSync(mainConf, 'utf8').includes("include 'faultline.conf'")) {
    appendFileSync(mainConf, "\n# Faultline's settings (generated):\ninclude 'faultline.conf'\n");
  }
}

/** Client authentication: the superuser over the socket, replication and every role over loopback with a password. */
export function writeHba(dataDir, postgres) {
  const rules = [
    '# Written by infra/native/components/postgres.mjs on every `up`.',
    '# TYPE  DATABASE     USER                 ADDRESS        METHOD',
    `local   all          ${postgres.superuser.padEnd(20)}                trust`,
    `host    replication  ${postgres.replicationUser.padEnd(20)} ${loopback}/32   scram-sha-256`,
    `host    all          all                  ${loopback}/32   scram-sha-256`,
  ];
  const hbaPath = join(dataDir, 'pg_hba.conf');
  writeFileSync(hbaPath, `${rules.join('\n')}\n`);
  const { uid, gid } = clusterOwner();
  chownSync(hbaPath, uid, gid);
}

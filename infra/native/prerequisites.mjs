// Checks the machine has the toolchains `up` needs, naming the Debian package of anything missing.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { postgresBinary, psqlBinary } from './postgres-client.mjs';

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findOnPath(name) {
  return (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, name)).find(isExecutable);
}

/** The java launcher `up` uses: $JAVA_HOME/bin/java if set, else the one on PATH. */
export function javaLauncher() {
  const fromHome = process.env.JAVA_HOME && join(process.env.JAVA_HOME, 'bin', 'java');
  return fromHome && isExecutable(fromHome) ? fromHome : findOnPath('java');
}

const requirements = [
  { what: 'java (JDK 17+)', found: javaLauncher, debianPackage: 'openjdk-17-jdk-headless' },
  { what: 'mvn (Maven)', found: () => findOnPath('mvn'), debianPackage: 'maven' },
  { what: 'go (Go toolchain)', found: () => findOnPath('go'), debianPackage: 'golang-go' },
  ...['postgres', 'initdb', 'pg_ctl', 'pg_basebackup', 'pg_isready', 'pg_controldata'].map((name) => ({
    what: `PostgreSQL 15 ${name} (${postgresBinary(name)})`,
    found: () => isExecutable(postgresBinary(name)),
    debianPackage: 'postgresql-15',
  })),
  { what: 'psql', found: () => isExecutable(psqlBinary), debianPackage: 'postgresql-client-15' },
];

/** @returns {string | undefined} one line describing the first missing prerequisite */
export function missingPrerequisite() {
  const missing = requirements.find((requirement) => !requirement.found());
  return missing && `missing ${missing.what}: install it with \`apt-get install ${missing.debianPackage}\``;
}

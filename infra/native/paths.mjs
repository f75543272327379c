// Where everything lives. All paths derive from this file's location, never from the working
// directory, so the scripts work from any folder and in any clone of the repository.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { versions } from '../topology.mjs';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
export const infraDir = join(projectRoot, 'infra');

/** The git-ignored state folder of this checkout. */
export const stateRoot = join(projectRoot, '.faultline');

export const statePaths = Object.freeze({
  root: stateRoot,
  bin: join(stateRoot, 'bin'),
  data: join(stateRoot, 'data'),
  logs: join(stateRoot, 'logs'),
  run: join(stateRoot, 'run'),
  /** Scratch files of tests and tools: inside the checkout, never the machine's shared /tmp. */
  tmp: join(stateRoot, 'tmp'),
  kafka: join(stateRoot, 'kafka'),
  temporalTestServer: join(stateRoot, 'temporal-test-server'),
});

export const logFile = (component) => join(statePaths.logs, `${component}.log`);
export const pidFile = (component) => join(statePaths.run, `${component}.pid`);

/**
 * The executable that @temporalio/testing should launch as its test server
 * (`TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } })`).
 * It is written by `npm run infra:up`.
 */
export const temporalTestServerExecutable = join(statePaths.bin, 'temporal-test-server');

/** Binaries built by `up` (versioned folders, so a version bump builds next to the old one). */
export const temporalCliBinary = join(statePaths.bin, `temporal-${versions.temporalCli}`, 'temporal');
export const toxiproxyBinary = join(statePaths.bin, `toxiproxy-${versions.toxiproxy}`, 'toxiproxy-server');
export const jaegerBinary = join(statePaths.bin, `jaeger-${versions.jaeger}`, 'jaeger');

import { access, constants } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { findFaultlineEnvFile } from '../config/index.js';

/** The Java time-skipping test server that `npm run infra:up` builds (it never downloads one). */
function temporalTestServerExecutable(): string {
  const envFile = findFaultlineEnvFile();
  if (envFile === undefined) throw new Error('infra/faultline.env not found: run the tests from the Faultline checkout');
  return join(dirname(dirname(envFile)), '.faultline', 'bin', 'temporal-test-server');
}

/**
 * Temporal's time-skipping test environment on the test server this checkout built, for workflow
 * tests: fails with the command to run when the server is missing, never downloads one. Installs
 * the process's Temporal runtime with warnings only, so call it once per test file.
 */
export async function startTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  // Workers log every state change at INFO; the test output keeps only what went wrong.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const path = temporalTestServerExecutable();
  await access(path, constants.X_OK).catch(() => {
    throw new Error(`${path} is missing — run \`npm run infra:up\`, which builds it from Maven Central.`);
  });
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
}

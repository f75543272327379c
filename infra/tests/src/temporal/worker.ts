import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection } from '@temporalio/worker';
import * as activities from './smoke.activities.js';

/** A worker for the smoke workflows on a task queue of its own. */
export function createSmokeWorker(connection: NativeConnection, namespace: string, taskQueue: string): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    workflowsPath: fileURLToPath(new URL('./smoke.workflows.js', import.meta.url)),
    activities,
  });
}

import { Worker, type NativeConnection } from '@temporalio/worker';
import type { Logger } from 'pino';
import { connectTemporalWorker, routeTemporalLogs, type TemporalAddress } from './temporal-connections.js';
import { workerTracing, type WorkerTracing } from './tracing/index.js';

export interface HostedWorkerOptions {
  /** What the worker does, for its log lines: `order fulfilment`, `billing-run`. */
  purpose: string;
  temporal: TemporalAddress;
  taskQueue: string;
  /** The compiled module that exports the workflows (Temporal bundles it for its sandbox). */
  workflowsPath: string;
  activities: object;
  logger: Logger;
  /** What a user can do instead of starting Temporal, for the "unreachable" error. */
  fallback?: string;
  /** What stops working while the worker is down, for the error logged if it stops by itself. */
  consequence: string;
}

/**
 * A Temporal worker that lives inside a service's process: started before the service reports ready,
 * drained and stopped when it shuts down. Within the service's 10 s shutdown deadline, a running
 * activity gets 3 s to finish and the worker gives up after 8 s rather than hold the process open: an
 * unfinished activity is retried by Temporal on the next worker, and every activity is idempotent.
 * Its workflows and activities are traced (see workerTracing), and their last spans flushed on stop.
 */
export class HostedWorker {
  private connection: NativeConnection | undefined;
  private worker: Worker | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private tracing: WorkerTracing | undefined;

  constructor(private readonly options: HostedWorkerOptions) {}

  async start(): Promise<void> {
    const { purpose, temporal, taskQueue, workflowsPath, activities, logger, fallback, consequence } = this.options;
    routeTemporalLogs(logger);
    this.connection = await connectTemporalWorker(temporal.address, fallback);
    this.tracing = workerTracing();
    this.worker = await Worker.create({
      ...this.tracing.options,
      connection: this.connection,
      namespace: temporal.namespace,
      taskQueue,
      workflowsPath,
      activities,
      shutdownGraceTime: '3 seconds',
      shutdownForceTime: '8 seconds',
    });
    this.running = this.worker.run().catch((error: unknown) => {
      if (this.stopping) logger.warn({ err: error, taskQueue }, `the ${purpose} worker was stopped before its tasks finished`);
      else logger.error({ err: error, taskQueue }, `the ${purpose} worker stopped: ${consequence}`);
    });
    logger.info({ taskQueue, temporal: temporal.address }, `${purpose} worker polling`);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.worker?.getState() === 'RUNNING') this.worker.shutdown();
    await this.running;
    await this.tracing?.shutdown().catch((error: unknown) => {
      this.options.logger.warn({ err: error }, `the ${this.options.purpose} worker's last workflow spans were not sent`);
    });
    await this.connection?.close();
  }
}

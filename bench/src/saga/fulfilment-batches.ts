import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowIdReusePolicy, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SignedInCustomer } from '../bench-identity.js';
import { placeOrder } from '../command-path.bench.js';
import type { bareFulfilment } from './bare-fulfilment.workflow.js';
import { summariseCompletions, type Completion, type CompletionSummary } from './completion-summary.js';
import { SERVICE_NAMES, type FulfilmentServices, type ServiceName } from './fulfilment-services.js';

/** Longest a batch may take to complete before the run gives up naming what is stuck (a stalled saga, not a slow one). */
const BATCH_TIMEOUT_MS = 180_000;

interface Submitted {
  workflowId: string;
  submittedAt: number;
}

/** One batch's figures with the CPU it cost, per completed workflow. */
export interface MeasuredBatch extends CompletionSummary {
  /** The Temporal dev server's CPU per completed workflow (ms), when its process can be read. */
  serverCpuMs: number | undefined;
  /** orders + billing + notifications + payment-provider CPU per completed workflow (ms). */
  servicesCpuMs: number;
  /**
   * This process's CPU per completed workflow (ms): the clients, and for the bare side its worker —
   * what the bare workflow's activities and workflow tasks cost a worker, to set beside orders' CPU.
   */
  benchCpuMs: number;
  /** The same, service by service (ms). */
  serviceCpuMs: Record<ServiceName, number>;
}

/**
 * Batches of N workflows on both sides, submitted the same way — `clients` concurrent clients, each
 * sending its next request as soon as the last one was answered — and waited for until the last one
 * completes: orders placed through POST /orders and fulfilled by the saga, or bare workflows started
 * directly on the bench's own worker.
 */
export class FulfilmentBatches {
  constructor(
    private readonly client: Client,
    private readonly services: FulfilmentServices,
    private readonly bareTaskQueue: string,
    private readonly clients: number,
    private readonly customerOf: (client: number) => SignedInCustomer,
    /** The Temporal dev server's CPU clock (seconds), if it can be read. */
    private readonly serverCpu: (() => number) | undefined,
  ) {}

  saga(orders: number): Promise<MeasuredBatch> {
    const ordersUrl = this.services.orders.url;
    return this.measured(orders, async () => {
      // The saga's workflow id is `order-<orderId>` (its starter's).
      const submitted = await this.submit(orders, async (client) => `order-${await placeOrder(ordersUrl, this.customerOf(client))}`);
      return this.completions(submitted, `look at the workflow in the Temporal UI and at ${this.services.orders.logFile}`);
    });
  }

  bare(workflows: number): Promise<MeasuredBatch> {
    return this.measured(workflows, async () => {
      const submitted = await this.submit(workflows, () => this.startBare());
      return this.completions(submitted, `the bench's own worker on ${this.bareTaskQueue}`);
    });
  }

  private async measured(count: number, batch: () => Promise<Completion[]>): Promise<MeasuredBatch> {
    const server = this.serverCpu?.();
    const services = this.servicesCpu();
    const bench = process.cpuUsage();
    const summary = summariseCompletions(await batch());
    const serverAfter = this.serverCpu?.();
    const servicesAfter = this.servicesCpu();
    const benchUsage = process.cpuUsage(bench);
    const perWorkflowMs = (seconds: number) => (seconds * 1000) / count;
    const serviceCpuMs = Object.fromEntries(SERVICE_NAMES.map((name) => [name, perWorkflowMs(servicesAfter[name] - services[name])])) as Record<ServiceName, number>;
    return {
      ...summary,
      serverCpuMs: server === undefined || serverAfter === undefined ? undefined : perWorkflowMs(serverAfter - server),
      servicesCpuMs: Object.values(serviceCpuMs).reduce((sum, ms) => sum + ms, 0),
      serviceCpuMs,
      // cpuUsage is in microseconds.
      benchCpuMs: perWorkflowMs((benchUsage.user + benchUsage.system) / 1e6),
    };
  }

  private servicesCpu(): Record<ServiceName, number> {
    return Object.fromEntries(SERVICE_NAMES.map((name) => [name, this.services[name].cpuSeconds()])) as Record<ServiceName, number>;
  }

  /** Runs `total` submissions on the concurrent clients, each recording when it was sent. */
  private async submit(total: number, send: (client: number) => Promise<string>): Promise<Submitted[]> {
    const submitted: Submitted[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: this.clients }, async (_, client) => {
        while (next < total) {
          next += 1;
          const submittedAt = Date.now();
          submitted.push({ workflowId: await send(client), submittedAt });
        }
      }),
    );
    return submitted;
  }

  private async startBare(): Promise<string> {
    const orderId = randomUUID();
    const workflowId = `bare-${orderId}`;
    // REJECT_DUPLICATE like the saga's starter: the same start request, so the same work on the server.
    await this.client.workflow.start<typeof bareFulfilment>('bareFulfilment', {
      taskQueue: this.bareTaskQueue,
      workflowId,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      args: [orderId],
    });
    return workflowId;
  }

  /**
   * Waits for every workflow to complete (the saga's exists only once its order is published and
   * consumed, hence "not found" for a while), then reads Temporal's start and close times. Fails,
   * naming the workflow, if one ends other than paid or does not start in time.
   */
  private async completions(submitted: readonly Submitted[], where: string): Promise<Completion[]> {
    const deadline = performance.now() + BATCH_TIMEOUT_MS;
    for (const { workflowId } of submitted) {
      for (;;) {
        try {
          const result = (await this.client.workflow.getHandle(workflowId).result()) as { status: string; reason?: string };
          if (result.status !== 'paid') throw new Error(`workflow ${workflowId} ended ${result.status}${result.reason ? ` (${result.reason})` : ''}: ${where}`);
          break;
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
          if (performance.now() > deadline) throw new Error(`workflow ${workflowId} was not started within ${BATCH_TIMEOUT_MS / 1000} s: ${where}`);
          await sleep(200);
        }
      }
    }
    const completions: Completion[] = [];
    for (const { workflowId, submittedAt } of submitted) {
      const { startTime, closeTime } = await this.client.workflow.getHandle(workflowId).describe();
      if (!closeTime) throw new Error(`workflow ${workflowId} has no close time after its result: ${where}`);
      completions.push({ submittedAt, startedAt: startTime.getTime(), closedAt: closeTime.getTime() });
    }
    return completions;
  }
}

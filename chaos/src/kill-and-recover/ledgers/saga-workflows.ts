import type { Client as TemporalClient } from '@temporalio/client';

/** The saga's workflows for the run's orders (`order-<orderId>`): those on the run's task queue, and any another orders process started. */
export async function countWorkflows(temporal: TemporalClient, taskQueue: string, orderIds: string[]): Promise<number> {
  const wanted = new Set(orderIds.map((orderId) => `order-${orderId}`));
  const seen = new Set<string>();
  for await (const workflow of temporal.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) {
    if (wanted.has(workflow.workflowId)) seen.add(workflow.workflowId);
  }
  // Another orders process with the saga on (a suite running meanwhile) shares the starter's consumer
  // group and may have started some on its own queue: the workflow id is what makes it one per order.
  for (const workflowId of wanted) {
    if (seen.has(workflowId)) continue;
    const exists = await temporal.workflow.getHandle(workflowId).describe().then(
      () => true,
      () => false,
    );
    if (exists) seen.add(workflowId);
  }
  return seen.size;
}

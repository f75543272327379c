import { proxyActivities, sleep } from '@temporalio/workflow';
import type * as activities from './smoke.activities.js';

const { describeInfrastructure } = proxyActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });

/** One workflow task and one activity: proves a worker can reach the server and do work. */
export async function roundTripWorkflow(component: string): Promise<string> {
  return describeInfrastructure(component);
}

/**
 * Waits thirty days of workflow time and reports how much time it observed passing. On the
 * time-skipping test server this completes at once; on a real server it would take a month.
 */
export async function monthLongTimerWorkflow(): Promise<number> {
  const started = Date.now(); // deterministic workflow time, not the machine's clock
  await sleep('30 days');
  return Date.now() - started;
}

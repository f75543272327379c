import { proxyActivities } from '@temporalio/workflow';

interface GreetingActivities {
  greet(name: string): Promise<string>;
}

const { greet } = proxyActivities<GreetingActivities>({ startToCloseTimeout: '10 seconds' });

/** One activity call: proves a hosted worker polls its queue and runs activities. */
export async function greetingWorkflow(name: string): Promise<string> {
  return greet(name);
}

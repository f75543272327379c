import type { EventConsumerOptions } from '../messaging/index.js';

/**
 * A service's consumer as a test that does not feed it starts it: a consumer group and a topic of
 * the suite's own, on which nothing is published. A test of billing's reports joining `billing-orders`
 * would share the group with the billing a user has running on this machine, take its partitions
 * in a rebalance and apply the orders it reads into the test's copy of the read model; with a group
 * of its own it reads nothing and leaves the user's services alone.
 */
export function idleTestConsumer(options: EventConsumerOptions): EventConsumerOptions {
  const name = `${options.name}-under-test`;
  return { ...options, name, groupId: name, topics: [`test.${options.name}.idle`] };
}

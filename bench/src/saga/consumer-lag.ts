import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';

export interface PartitionOffset {
  partition: number;
  offset: string;
}

/**
 * Records of `topic` a consumer group has yet to commit: per partition, the log's end minus the
 * group's committed offset (-1, nothing committed yet, counts the whole partition).
 */
export function lagOf(endOffsets: readonly PartitionOffset[], committed: readonly PartitionOffset[]): number {
  return endOffsets.reduce((lag, end) => {
    const offset = Number(committed.find((entry) => entry.partition === end.partition)?.offset ?? -1);
    return lag + Math.max(0, Number(end.offset) - Math.max(0, offset));
  }, 0);
}

/**
 * Waits until every group has committed everything on `topic`, so a consumer's memory is read after
 * it has applied the load, not while the load is still in Kafka. Returns each group's lag at the end
 * (0 for a group that caught up); never throws for a group that is behind: the caller reports it.
 */
export async function awaitCaughtUp(kafka: Kafka, topic: string, groups: readonly string[], timeoutMs: number): Promise<Record<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const ends = await admin.fetchTopicOffsets(topic);
      const lags: Record<string, number> = {};
      for (const groupId of groups) {
        const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
        lags[groupId] = lagOf(ends, offsets?.partitions ?? []);
      }
      if (Object.values(lags).every((lag) => lag === 0) || performance.now() > deadline) return lags;
      await sleep(500);
    }
  } finally {
    await admin.disconnect();
  }
}

/** Long enough for a killed member's session to time out (kafkajs' default session is 30 s), and for a scenario's last step. */
export const GROUPS_IDLE_WAIT_MS = 90_000;

/**
 * Waits until no other process is a member of `groups`, and fails if one still is after `waitMs`: the
 * saga bench's billing, notifications and saga starter join the orders topic's real consumer groups,
 * and sharing a group splits its partitions — each side would receive some of the other's orders and
 * leave them unfulfilled (a chaos run or scenario would see orders that never settle). The bench
 * must run alone; a member left by a process killed moments ago goes when its session times out.
 */
export async function awaitGroupsIdle(kafka: Kafka, groups: readonly string[], waitMs = GROUPS_IDLE_WAIT_MS, log?: (line: string) => void): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = performance.now() + waitMs;
    let said = false;
    for (;;) {
      const described = await admin.describeGroups([...groups]);
      const busy = described.groups.filter((group) => group.members.length > 0);
      if (busy.length === 0) return;
      const members = busy.map((group) => `${group.groupId} (${group.members.length} member${group.members.length > 1 ? 's' : ''})`).join(', ');
      if (performance.now() > deadline) {
        throw new Error(
          `consumer group${busy.length > 1 ? 's' : ''} ${members} still consumed after ${waitMs / 1000} s: a billing, notifications or ` +
            'orders service is running (a scenario, the chaos suite, npm run dev). The saga benchmark joins those groups and would split ' +
            'their partitions with it; stop it, or wait until it ends, then run again',
        );
      }
      if (!said) log?.(`  waiting for ${members} to be left by the services of another run (up to ${waitMs / 1000} s)`);
      said = true;
      await sleep(2_000);
    }
  } finally {
    await admin.disconnect();
  }
}

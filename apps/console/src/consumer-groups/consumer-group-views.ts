import type { ConsumerGroupOffsets } from '@faultline/shared/messaging';
import type { ConsumerGroupView } from '../console-api.js';

/**
 * Groups that exist only for a moment: a test's or a tool's topic watcher or reader
 * (`<client>-watch-<uuid>`, `<client>-read-<uuid>`) and every console's own reader. Not what a
 * person watching the services looks for.
 */
const THROWAWAY_GROUP = /^faultline-console-|-(watch|read)-[0-9a-f]{8}-[0-9a-f]{4}-/;

export function isServiceGroup(groupId: string): boolean {
  return !THROWAWAY_GROUP.test(groupId);
}

/** The most rows the page lists: the groups that lag most come first. */
export const LISTED_GROUPS = 40;

/** One row per group and topic, the records it has still to read summed over the partitions; most behind first. */
export function consumerGroupViews(groups: readonly ConsumerGroupOffsets[]): ConsumerGroupView[] {
  const rows = groups.flatMap(({ groupId, state, members, topics }) =>
    topics.map(({ topic, partitions }) => {
      const behind = partitions
        .filter((p) => p.end > p.committed)
        .map((p) => ({ partition: p.partition, committed: Number(p.committed), end: Number(p.end) }));
      const lag = behind.reduce((sum, p) => sum + (p.end - p.committed), 0);
      return { groupId, state, members, topic, lag, behind };
    }),
  );
  return rows
    .sort((a, b) => b.lag - a.lag || a.groupId.localeCompare(b.groupId) || a.topic.localeCompare(b.topic))
    .slice(0, LISTED_GROUPS);
}

import type { DeadLetter } from '@faultline/shared/dead-letter';
import type { DeadLetterTopicView } from '../console-api.js';
import { metricSamples } from '../service-metrics/metric-samples.js';

/** The most dead letters the page lists per topic, newest first; the depth counts them all. */
export const LISTED_DEAD_LETTERS = 20;

/** The gauge every consumer with a dead-letter topic reports (libs/shared/src/messaging/consumer-metrics.ts). */
const DEPTH_METRIC = 'dead_letter_depth';

/**
 * The consumers a service reports a dead-letter depth for, read from its /metrics text: the
 * dead-letter topics that belong to that running service, and no test's or tool's leftovers.
 */
export function deadLetterTopicsIn(metricsText: string): { consumer: string; topic: string }[] {
  const found = new Map<string, { consumer: string; topic: string }>();
  for (const { labels } of metricSamples(metricsText, DEPTH_METRIC)) {
    if (labels.consumer && labels.topic) found.set(labels.topic, { consumer: labels.consumer, topic: labels.topic });
  }
  return [...found.values()];
}

/** A dead-letter topic's waiting letters as the page shows them: the depth, the oldest's age, the newest listed. */
export function deadLetterTopicView(service: string, consumer: string, topic: string, waiting: readonly DeadLetter[], now: Date): DeadLetterTopicView {
  const oldest = waiting.reduce<number | undefined>((min, letter) => Math.min(min ?? Infinity, letter.firstFailureAt.getTime()), undefined);
  const letters = [...waiting]
    .sort((a, b) => Number(BigInt(b.id) - BigInt(a.id)))
    .slice(0, LISTED_DEAD_LETTERS)
    .map((letter) => ({
      id: letter.id,
      key: letter.key,
      reason: letter.reason,
      errorClass: letter.errorClass,
      errorMessage: letter.errorMessage,
      source: `${letter.source.topic}/${letter.source.partition}@${letter.source.offset}`,
      attempts: letter.attempts,
      retryable: letter.retryable,
      firstFailureAt: letter.firstFailureAt.toISOString(),
      traceId: letter.traceId,
    }));
  return {
    service,
    consumer,
    topic,
    depth: waiting.length,
    oldestAgeSeconds: oldest === undefined ? 0 : Math.max(0, Math.round((now.getTime() - oldest) / 1_000)),
    letters,
  };
}

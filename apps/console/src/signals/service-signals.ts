import type { ServiceSignals } from '../console-api.js';
import { metricSamples } from '../service-metrics/metric-samples.js';

/** The value of each sample of `name`, by the value of its label `label`. */
function byLabel(text: string, name: string, label: string): Record<string, number> {
  return Object.fromEntries(metricSamples(text, name).map(({ labels, value }) => [labels[label] ?? '', value]));
}

/**
 * The ordering guard's held events per consumer (`ordering_guard_held_events`), each projection's
 * lag (`projection_lag_events`, `projection_lag_seconds`), each outbox's backlog
 * (`outbox_backlog`, `outbox_oldest_unpublished_age_seconds`) and the reads that waited for a
 * projection to reach their consistency token (`consistency_token_waits_total`,
 * `consistency_token_wait_seconds`), from a service's /metrics text; undefined for a service that
 * reports none of them.
 */
export function serviceSignals(service: string, metricsText: string): ServiceSignals | undefined {
  const heldEvents = byLabel(metricsText, 'ordering_guard_held_events', 'consumer');
  const lagSeconds = byLabel(metricsText, 'projection_lag_seconds', 'projection');
  const projections = Object.entries(byLabel(metricsText, 'projection_lag_events', 'projection')).map(([projection, lagEvents]) => ({
    projection,
    lagEvents,
    lagSeconds: lagSeconds[projection] ?? 0,
  }));
  const oldest = byLabel(metricsText, 'outbox_oldest_unpublished_age_seconds', 'table');
  const outboxes = Object.entries(byLabel(metricsText, 'outbox_backlog', 'table')).map(([table, backlog]) => ({ table, backlog, oldestAgeSeconds: oldest[table] ?? 0 }));
  const waitSums = byLabel(metricsText, 'consistency_token_wait_seconds_sum', 'projection');
  const waitCounts = byLabel(metricsText, 'consistency_token_wait_seconds_count', 'projection');
  const outcomes = metricSamples(metricsText, 'consistency_token_waits_total');
  const tokenWaits = Object.keys(waitCounts).map((projection) => {
    const count = (outcome: string) => outcomes.filter(({ labels }) => labels.projection === projection && labels.outcome === outcome).reduce((sum, { value }) => sum + value, 0);
    const waits = waitCounts[projection] ?? 0;
    return { projection, caughtUp: count('caught-up'), gaveUp: count('gave-up'), meanWaitMs: waits > 0 ? Math.round(((waitSums[projection] ?? 0) / waits) * 1_000) : 0 };
  });
  if (Object.keys(heldEvents).length === 0 && projections.length === 0 && outboxes.length === 0 && tokenWaits.length === 0) return undefined;
  return { service, heldEvents, projections, outboxes, tokenWaits };
}

import type { ReplicaReadView } from '../console-api.js';
import { metricSamples, metricValue } from '../service-metrics/metric-samples.js';

/**
 * What a service reports of the replica (libs/shared/src/consistency/replica-lag-sampler.ts), read
 * from its /metrics text; undefined for a service that never reads from the replica.
 */
export function replicaReadView(service: string, metricsText: string): ReplicaReadView | undefined {
  const lagBytes = metricValue(metricsText, 'replica_lag_bytes');
  if (lagBytes === undefined) return undefined;
  const reads = { primary: 0, replica: 0 };
  const readsByReason: Record<string, number> = {};
  for (const { labels, value } of metricSamples(metricsText, 'replica_routed_reads_total')) {
    if (labels.served_by === 'primary' || labels.served_by === 'replica') reads[labels.served_by] += value;
    const key = `${labels.served_by} · ${labels.reason}`;
    readsByReason[key] = (readsByReason[key] ?? 0) + value;
  }
  return {
    service,
    lagBytes,
    lagSeconds: metricValue(metricsText, 'replica_lag_seconds') ?? 0,
    thresholdSeconds: metricValue(metricsText, 'replica_lag_threshold_seconds') ?? 0,
    forcedToPrimary: (metricValue(metricsText, 'replica_reads_forced_to_primary') ?? 0) > 0,
    reads,
    readsByReason,
  };
}

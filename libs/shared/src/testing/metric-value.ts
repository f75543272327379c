import type { Registry } from 'prom-client';

/**
 * The current value of a metric in a service's registry, summed over the series whose labels match:
 * how a test reads a gauge or counter without scraping `/metrics` over HTTP.
 */
export async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  const matching = metric?.values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)) ?? [];
  return matching.reduce((sum, v) => sum + v.value, 0);
}

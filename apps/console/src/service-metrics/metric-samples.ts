/** One sample of a metric in Prometheus' text format: its labels and its value. */
export interface MetricSample {
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/**
 * The samples of metric `name` in a service's /metrics text (Prometheus' exposition format as
 * prom-client writes it: one sample per line, no timestamps). Only that family's exact name: a
 * histogram's `_bucket` or `_sum` lines are other names.
 */
export function metricSamples(text: string, name: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    const sample = SAMPLE.exec(line);
    if (sample?.[1] !== name) continue;
    const labels = Object.fromEntries([...(sample[2] ?? '').matchAll(LABEL)].map(([, label, value]) => [label, value?.replace(/\\(.)/g, '$1')]));
    samples.push({ labels: labels as Record<string, string>, value: Number(sample[3]) });
  }
  return samples;
}

/** The value of a metric without labels (or the sum of its samples); undefined when the service does not report it. */
export function metricValue(text: string, name: string): number | undefined {
  const samples = metricSamples(text, name);
  return samples.length === 0 ? undefined : samples.reduce((sum, sample) => sum + sample.value, 0);
}

import { Gauge, type Registry } from 'prom-client';

export const CLOCK_SKEW_METRIC = 'clock_skew_seconds';

/** Registers (once per registry) the gauge `clock_skew_seconds{peer}`: peer's clock minus ours. */
export function clockSkewGauge(registry: Registry): Gauge<'peer'> {
  const existing = registry.getSingleMetric(CLOCK_SKEW_METRIC);
  if (existing instanceof Gauge) return existing as Gauge<'peer'>;
  return new Gauge({
    name: CLOCK_SKEW_METRIC,
    help: "Estimated offset of a peer's clock from this service's, in seconds (positive: the peer is ahead)",
    labelNames: ['peer'],
    registers: [registry],
  });
}

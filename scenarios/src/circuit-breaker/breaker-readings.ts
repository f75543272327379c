import { scrapeMetric } from '../event-ordering/scrape-metric.js';

/** What the circuit-breaker scenario reads of billing's breaker for the payment provider, from its /metrics. */

const DEPENDENCY = { dependency: 'payment-provider' };

/** How often billing's breaker has moved to open since it started. */
export function openTransitions(billingUrl: string): Promise<number> {
  return scrapeMetric(billingUrl, 'faultline_dependency_breaker_transitions_total', { ...DEPENDENCY, to: 'open' });
}

/** How often billing's breaker has let a probe through (open → half-open) since it started. */
export function halfOpenTransitions(billingUrl: string): Promise<number> {
  return scrapeMetric(billingUrl, 'faultline_dependency_breaker_transitions_total', { ...DEPENDENCY, to: 'half-open' });
}

/** Calls the open breaker refused, and how many of those took at most 5 ms inside billing (the histogram's bucket). */
export async function rejectedWithin5ms(billingUrl: string): Promise<{ total: number; under5ms: number }> {
  const histogram = 'faultline_dependency_attempt_duration_seconds';
  const labels = { ...DEPENDENCY, outcome: 'rejected' };
  return {
    total: await scrapeMetric(billingUrl, `${histogram}_count`, labels),
    under5ms: await scrapeMetric(billingUrl, `${histogram}_bucket`, { ...labels, le: '0.005' }),
  };
}

/** Billing's breaker for the provider, as Prometheus sees it: 0 closed, 1 half-open, 2 open. */
export function breakerState(billingUrl: string): Promise<number> {
  return scrapeMetric(billingUrl, 'faultline_dependency_breaker_state', DEPENDENCY);
}

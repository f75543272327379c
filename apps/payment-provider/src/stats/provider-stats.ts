import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { ServiceMetrics } from '@faultline/shared/observability';
import { PROVIDER_OPERATIONS, type ProviderOperation } from '../authorizations/authorization.js';

/** The faults as counted on /metrics, one label value each. */
export type AppliedFault = 'latency' | 'hang' | 'error' | 'decline' | 'drop-response' | 'corrupt-body';

export interface ProviderStatsView {
  requestsReceived: number;
  byOperation: Record<ProviderOperation, number>;
}

/**
 * What reached the provider: the proof of article 1 ("the provider received none of the next 100
 * calls") is a count taken here, on the provider's side of the wire, including the requests a fault
 * then hung or failed. `/admin/stats` can be reset between scenario steps; the Prometheus counters
 * on /metrics only ever go up, as counters must.
 */
@Injectable()
export class ProviderStats {
  private byOperation = zeroCounts();
  private readonly requestsReceived: Counter<'operation'>;
  private readonly faultsApplied: Counter<'fault'>;

  constructor(metrics: ServiceMetrics) {
    this.requestsReceived = new Counter({
      name: 'payment_provider_requests_received_total',
      help: 'Requests that reached the simulated provider’s /v1 API, by operation (lookup: any read)',
      labelNames: ['operation'],
      registers: [metrics.registry],
    });
    this.faultsApplied = new Counter({
      name: 'payment_provider_faults_applied_total',
      help: 'Requests that an injected fault (PUT /admin/faults) delayed, hung, failed, declined, cut or corrupted',
      labelNames: ['fault'],
      registers: [metrics.registry],
    });
  }

  received(operation: ProviderOperation): void {
    this.byOperation[operation] += 1;
    this.requestsReceived.inc({ operation });
  }

  faultApplied(fault: AppliedFault): void {
    this.faultsApplied.inc({ fault });
  }

  snapshot(): ProviderStatsView {
    const byOperation = { ...this.byOperation };
    return { requestsReceived: Object.values(byOperation).reduce((sum, n) => sum + n, 0), byOperation };
  }

  reset(): ProviderStatsView {
    this.byOperation = zeroCounts();
    return this.snapshot();
  }
}

function zeroCounts(): Record<ProviderOperation, number> {
  return Object.fromEntries(PROVIDER_OPERATIONS.map((operation) => [operation, 0])) as Record<ProviderOperation, number>;
}

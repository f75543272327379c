import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { ServiceMetrics } from '@faultline/shared/observability';
import { PROVIDER_OPERATIONS, type ProviderOperation } from '../authorizations/authorization.js';
import { RecentKeyCounts } from './recent-key-counts.js';

/** The faults as counted on /metrics, one label value each. */
export type AppliedFault = 'latency' | 'hang' | 'error' | 'decline' | 'drop-response' | 'corrupt-body';
export const APPLIED_FAULTS: readonly AppliedFault[] = ['latency', 'hang', 'error', 'decline', 'drop-response', 'corrupt-body'];

/** How many Idempotency-Keys `authorizeRequestsByKey` remembers: far more than a scenario sends between resets. */
export const REMEMBERED_AUTHORIZE_KEYS = 1_000;

export interface ProviderStatsView {
  requestsReceived: number;
  byOperation: Record<ProviderOperation, number>;
  /** Authorize requests per Idempotency-Key, for the most recently sent keys; requests without a key are not in it. */
  authorizeRequestsByKey: Record<string, number>;
  faultsApplied: Record<AppliedFault, number>;
}

/**
 * What reached the provider: the proof of article 1 ("the provider received none of the next 100
 * calls") is a count taken here, on the provider's side of the wire, including the requests a fault
 * then hung or failed; the proof of article 6 ("the retry reached the provider with the same key,
 * and the fault that lost the first answer did fire") is the per-key count and the faults applied.
 * `/admin/stats` can be reset between scenario steps; the Prometheus counters on /metrics only
 * ever go up, as counters must.
 */
@Injectable()
export class ProviderStats {
  private byOperation = zeroCounts(PROVIDER_OPERATIONS);
  private faultsAppliedSinceReset = zeroCounts(APPLIED_FAULTS);
  private readonly authorizeRequestsByKey = new RecentKeyCounts(REMEMBERED_AUTHORIZE_KEYS);
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

  /** Counts one /v1 request; `idempotencyKey` is its Idempotency-Key header as received, if any. */
  received(operation: ProviderOperation, idempotencyKey?: string | string[]): void {
    this.byOperation[operation] += 1;
    this.requestsReceived.inc({ operation });
    if (operation === 'authorize' && typeof idempotencyKey === 'string') this.authorizeRequestsByKey.count(idempotencyKey);
  }

  faultApplied(fault: AppliedFault): void {
    this.faultsAppliedSinceReset[fault] += 1;
    this.faultsApplied.inc({ fault });
  }

  snapshot(): ProviderStatsView {
    const byOperation = { ...this.byOperation };
    return {
      requestsReceived: Object.values(byOperation).reduce((sum, n) => sum + n, 0),
      byOperation,
      authorizeRequestsByKey: this.authorizeRequestsByKey.snapshot(),
      faultsApplied: { ...this.faultsAppliedSinceReset },
    };
  }

  reset(): ProviderStatsView {
    this.byOperation = zeroCounts(PROVIDER_OPERATIONS);
    this.faultsAppliedSinceReset = zeroCounts(APPLIED_FAULTS);
    this.authorizeRequestsByKey.clear();
    return this.snapshot();
  }
}

function zeroCounts<Name extends string>(names: readonly Name[]): Record<Name, number> {
  return Object.fromEntries(names.map((name) => [name, 0])) as Record<Name, number>;
}

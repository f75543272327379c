import { randomUUID } from 'node:crypto';

/** Billing's payments API, and `fetch` as its one caller, the orders service (a service token for billing). */
export interface BillingPayments {
  url: string;
  asOrders: typeof fetch;
}

/** One POST /payments/authorizations as a caller saw it. */
export interface AuthorizationCall {
  /** The caller's Idempotency-Key; billing derives the key it sends the provider from it. */
  idempotencyKey: string;
  /** The HTTP status, or `gave-up` when the caller's patience ran out first. */
  status: number | 'gave-up';
  /** `performance.now()` when the answer (or the caller's patience) ended. */
  endedAt: number;
  durationMs: number;
  retryAfter: string | null;
}

/**
 * Billing's payments API as the order saga calls it (contract D): a fresh Idempotency-Key per call,
 * so every call is a new payment. A caller gives up after `patienceMs`, as a real one would.
 */
export async function authorize(billing: BillingPayments, patienceMs: number): Promise<AuthorizationCall> {
  const started = performance.now();
  const idempotencyKey = `scenario-circuit-breaker-${randomUUID()}`;
  const ended = (status: AuthorizationCall['status'], retryAfter: string | null): AuthorizationCall => {
    const endedAt = performance.now();
    return { idempotencyKey, status, endedAt, durationMs: endedAt - started, retryAfter };
  };
  try {
    const response = await billing.asOrders(`${billing.url}/payments/authorizations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
      body: JSON.stringify({ orderId: randomUUID(), customerId: randomUUID(), amountMinor: 4_200, currency: 'EUR' }),
      signal: AbortSignal.timeout(patienceMs),
    });
    await response.arrayBuffer();
    return ended(response.status, response.headers.get('retry-after'));
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') return ended('gave-up', null);
    throw error;
  }
}

/** `count` calls, at most `concurrency` at a time; none started at or after `startBefore` (a `performance.now()` time). */
export async function authorizeMany(
  billing: BillingPayments,
  count: number,
  concurrency: number,
  patienceMs: number,
  startBefore = Number.POSITIVE_INFINITY,
): Promise<AuthorizationCall[]> {
  const calls: AuthorizationCall[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count && performance.now() < startBefore) {
      next += 1;
      calls.push(await authorize(billing, patienceMs));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return calls;
}

/** The q-quantile (0..1) of the durations, nearest-rank. */
export function percentile(calls: readonly AuthorizationCall[], q: number): number {
  const sorted = calls.map((c) => c.durationMs).sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}

/** `201 ×3, 503 ×97`. */
export function statusCounts(calls: readonly AuthorizationCall[]): string {
  const counts = new Map<string, number>();
  for (const { status } of calls) counts.set(String(status), (counts.get(String(status)) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([status, n]) => `${status} ×${n}`).join(', ');
}

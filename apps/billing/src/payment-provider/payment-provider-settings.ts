import { z } from 'zod';
import { port, requireWorkshopMode } from '@faultline/shared/config';
import {
  DEFAULT_RESILIENCE_POLICY,
  breakerMode,
  requireAllowedBreakerMode,
  type BreakerMode,
  type ResiliencePolicy,
} from '@faultline/shared/resilience';
import { LOOPBACK } from '@faultline/shared/service-defaults';

/**
 * `keyed` (the default) sends an Idempotency-Key on every call, the same one on every retry, and
 * validates every answer. `naive` is article 6's pitfall switch, workshop only: retries without a
 * key (each one a new charge) and trusts any 2xx body (naive-provider-calls.ts).
 */
export type ProviderCalls = 'keyed' | 'naive';

export interface PaymentProviderClientSettings {
  /** `http://127.0.0.1:3104`: the simulator, reached directly (it has no Toxiproxy link). */
  baseUrl: string;
  calls: ProviderCalls;
  breaker: BreakerMode;
  /** The provider's pipeline: DEFAULT_RESILIENCE_POLICY with the environment's overrides. */
  policy: ResiliencePolicy;
}

const positiveMs = () => z.coerce.number().int().positive().optional();

/** The billing environment variables for the provider client; billing's config.ts spreads them in. */
export const paymentProviderEnvironment = {
  PAYMENT_PROVIDER_HTTP_PORT: port(),
  // Article 6's switch: `naive` retries without an Idempotency-Key and trusts any 200 (workshop only).
  BILLING_PROVIDER_CALLS: z.enum(['keyed', 'naive']).default('keyed'),
  // Article 1's switch: `naive` is one process-wide, library-default breaker with no timeout inside.
  BILLING_PROVIDER_BREAKER: breakerMode(),
  // Overrides of DEFAULT_RESILIENCE_POLICY (libs/shared/src/resilience/resilience-policy.ts explains
  // the defaults); the circuit-breaker scenario shortens the half-open delay so the room need not wait.
  BILLING_PROVIDER_TIMEOUT_MS: positiveMs(),
  BILLING_PROVIDER_BREAKER_HALF_OPEN_MS: positiveMs(),
  BILLING_PROVIDER_BREAKER_MINIMUM_CALLS: z.coerce.number().int().min(1).optional(),
};

type PaymentProviderEnvironment = z.infer<z.ZodObject<typeof paymentProviderEnvironment>>;

/** Maps the validated variables; refuses either naive switch outside workshop mode. */
export function paymentProviderClientSettings(
  service: string,
  config: PaymentProviderEnvironment,
  env: Record<string, string | undefined>,
): PaymentProviderClientSettings {
  const defaults = DEFAULT_RESILIENCE_POLICY;
  return requireAllowedProviderCalls(
    service,
    {
      baseUrl: `http://${LOOPBACK}:${config.PAYMENT_PROVIDER_HTTP_PORT}`,
      calls: config.BILLING_PROVIDER_CALLS,
      breaker: requireAllowedBreakerMode(service, config.BILLING_PROVIDER_BREAKER, env),
      policy: {
        timeoutMs: config.BILLING_PROVIDER_TIMEOUT_MS ?? defaults.timeoutMs,
        breaker: {
          ...defaults.breaker,
          halfOpenAfterMs: config.BILLING_PROVIDER_BREAKER_HALF_OPEN_MS ?? defaults.breaker.halfOpenAfterMs,
          minimumCalls: config.BILLING_PROVIDER_BREAKER_MINIMUM_CALLS ?? defaults.breaker.minimumCalls,
        },
        retry: defaults.retry,
      },
    },
    env,
  );
}

function requireAllowedProviderCalls(
  service: string,
  settings: PaymentProviderClientSettings,
  env: Record<string, string | undefined>,
): PaymentProviderClientSettings {
  if (settings.calls === 'naive') {
    requireWorkshopMode(
      service,
      {
        option: 'BILLING_PROVIDER_CALLS=naive',
        failure: "article 6's double charge (retries without an idempotency key, corrupt bodies trusted)",
        fix: 'leave BILLING_PROVIDER_CALLS unset to send a key on every call and validate every answer',
      },
      env,
    );
  }
  return settings;
}

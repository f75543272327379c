import { loadConfig, packageVersion, readFaultlineEnvironment } from '@faultline/shared/config';
import { DEFAULT_ABUSE_LIMITS, abuseLimitsEnvironmentWith, resolveAbuseLimits, type AbuseLimits } from '@faultline/shared/abuse-limits';
import { serviceBasics, serviceEnvironment, type ServiceSettings } from '@faultline/shared/service-defaults';

/**
 * A provider limits each merchant, and has no tokens here to tell merchants apart: its one merchant,
 * billing, calls from one address at the saga's pace. So reads and writes get a provider's usual
 * 100 requests a second per address, not the per-customer defaults (ADR 0016).
 */
const PROVIDER_LIMITS: AbuseLimits = {
  ...DEFAULT_ABUSE_LIMITS,
  requestsPerMinute: { ...DEFAULT_ABUSE_LIMITS.requestsPerMinute, writes: 6_000, reads: 6_000 },
};

/** Exactly the environment variables the payment provider simulator reads (infra/faultline.env, or the process). */
// Its HTTP port, database and log level. It stands in for an external provider: its faults are
// injected by the app itself (/admin/faults), not by Toxiproxy, so it reaches its database and
// Kafka directly; Kafka only for /ready, since every Faultline service reports it and the simulator has no topics.
export const paymentProviderEnvironment = serviceEnvironment('PAYMENT_PROVIDER', 'direct').extend({
  // ADR 0016: rate limits per address, body and header sizes, trusted proxies (FAULTLINE_RATE_LIMIT_*,
  // FAULTLINE_JSON_BODY_LIMIT_BYTES, FAULTLINE_MAX_HEADER_BYTES, FAULTLINE_TRUST_PROXY).
  ...abuseLimitsEnvironmentWith(PROVIDER_LIMITS),
});

export type PaymentProviderSettings = ServiceSettings;

/**
 * It labels every metric (`service="…"`), names the migrations table (`payment_provider_migrations`)
 * and opens every configuration error.
 */
const SERVICE_NAME = 'payment-provider';

/** Validates the environment (throws ConfigurationError naming every bad variable) and maps it. */
export function loadPaymentProviderSettings(env = readFaultlineEnvironment()): PaymentProviderSettings {
  const config = loadConfig(SERVICE_NAME, paymentProviderEnvironment, env);
  return {
    service: { name: SERVICE_NAME, version: packageVersion(import.meta.url) },
    ...serviceBasics('PAYMENT_PROVIDER', 'direct', config),
    abuseLimits: resolveAbuseLimits(config),
  };
}

import { z } from 'zod';
import { loadConfig, packageVersion, port, readFaultlineEnvironment } from '@faultline/shared/config';
import { abuseLimitsEnvironment, resolveAbuseLimits } from '@faultline/shared/abuse-limits';
import { ORDER_EVENTS_TOPIC } from '@faultline/shared/contracts';
import { replicaReadSettings, replicaReadsEnvironment, type ReplicaReadOptions } from '@faultline/shared/consistency';
import {
  consumerFailureHandling,
  consumerOrdering,
  requireAllowedConsumerOrdering,
  retryDelaysMs,
  type EventConsumerOptions,
} from '@faultline/shared/messaging';
import { resolveServiceAuth, serviceAuthEnvironment, trustedIssuer } from '@faultline/shared/auth';
import { clockSkewMs, resolveServiceClock } from '@faultline/shared/clock-skew';
import { outboxPublishing, resolveOutboxOptions, type OutboxPublishing } from '@faultline/shared/outbox';
import { LOOPBACK, serviceBasics, serviceEnvironment, type ServiceSettings } from '@faultline/shared/service-defaults';
import {
  BILLING_RUNS_TASK_QUEUE,
  billingRunSchedule,
  DAILY_RUN_AT,
  requireAllowedBillingRunSchedule,
  type BillingRunSettings,
} from './billing-run/billing-run-settings.js';
import {
  paymentProviderClientSettings,
  paymentProviderEnvironment,
  type PaymentProviderClientSettings,
} from './payment-provider/payment-provider-settings.js';

/** Exactly the environment variables the billing service reads (infra/faultline.env, or the process). */
export const billingEnvironment = serviceEnvironment('BILLING', 'toxiproxy').extend({
  // Article 4's pitfall switch: `naive` applies order events as they arrive, without the ordering
  // guard. `guarded` when unset; `naive` is refused unless FAULTLINE_WORKSHOP_MODE=true.
  BILLING_CONSUMER_ORDERING: consumerOrdering(),
  // Article 4's pitfall switch for billing's own events: `naive` publishes the payment events under
  // random keys through an unordered producer. `ordered` when unset; `naive` is refused unless
  // FAULTLINE_WORKSHOP_MODE=true.
  BILLING_OUTBOX_PUBLISHING: outboxPublishing(),
  // Article 3's pitfall switch: `naive` skips a record that fails (no retry, no dead letter).
  // `policy` when unset; `naive` is refused unless FAULTLINE_WORKSHOP_MODE=true.
  BILLING_CONSUMER_FAILURES: consumerFailureHandling(),
  // Article 3: the retry topics' delays, e.g. `1000,3000` for the workshop; the policy's defaults when unset.
  BILLING_CONSUMER_RETRY_DELAYS_MS: retryDelaysMs(),
  // Article 3: `false` leaves retryable dead letters for a person to redrive (the dlq command or
  // the console) instead of redriving them once the database answers again; `true` when unset.
  BILLING_CONSUMER_AUTO_REDRIVE: z.enum(['true', 'false']).default('true'),
  // Article 7: customer profile reads may go to the streaming replica, reached through its own
  // Toxiproxy link. `BILLING_REPLICA_READS=naive` (workshop only) reads the replica without tokens.
  ...replicaReadsEnvironment('BILLING'),
  // Article 9: the daily billing runs are Temporal workflows on billing's own worker.
  TEMPORAL_PORT: port(),
  TEMPORAL_NAMESPACE: z.string().min(1),
  BILLING_RUN_TASK_QUEUE: z.string().min(1).default(BILLING_RUNS_TASK_QUEUE),
  // `naive` (workshop only) bills everyone at the server's 09:00 on UTC days.
  BILLING_RUN_SCHEDULE: billingRunSchedule(),
  // Articles 1 and 6: the payment provider client, its breaker and their workshop switches.
  ...paymentProviderEnvironment,
  // Article 2: tokens from the identity provider (FAULTLINE_AUTH, FAULTLINE_TOKEN_VALIDATION,
  // FAULTLINE_TOKEN_ISSUER, FAULTLINE_JWKS_URL); BILLING_CLOCK_SKEW_MS (workshop only) skews this
  // service's clock; the peers' clocks are probed at their HTTP ports.
  ...serviceAuthEnvironment,
  BILLING_CLOCK_SKEW_MS: clockSkewMs(),
  ORDERS_HTTP_PORT: port(),
  NOTIFICATIONS_HTTP_PORT: port(),
  // ADR 0016: rate limits per caller, body and header sizes, trusted proxies (FAULTLINE_RATE_LIMIT_*,
  // FAULTLINE_JSON_BODY_LIMIT_BYTES, FAULTLINE_MAX_HEADER_BYTES, FAULTLINE_TRUST_PROXY).
  ...abuseLimitsEnvironment,
});

export interface BillingSettings extends ServiceSettings {
  /** The consumer of the orders service's events that keeps `billing_orders` (tests give it a topic of its own). */
  orderEvents: EventConsumerOptions;
  /** Where customer profile reads may go (article 7): the replica, by token and lag. */
  replicaReads: ReplicaReadOptions;
  /** The daily billing runs, each customer at 09:00 in their zone (article 9). */
  billingRuns: BillingRunSettings;
  /** The payment provider and its circuit breaker (articles 1 and 6). */
  paymentProvider: PaymentProviderClientSettings;
  /** How the relay publishes the payment events billing appends to its outbox (article 4). */
  outbox: { publishing: OutboxPublishing };
}

/** Validates the environment (throws ConfigurationError naming every bad variable) and maps it. */
export function loadBillingSettings(env = readFaultlineEnvironment()): BillingSettings {
  const config = loadConfig('billing', billingEnvironment, env);
  const service = { name: 'billing', version: packageVersion(import.meta.url) };
  const basics = serviceBasics('BILLING', 'toxiproxy', config);
  // Checked here too (OutboxModule checks again when the app is created), so a naive switch outside
  // workshop mode stops the service with the plain configuration message.
  const { publishing } = resolveOutboxOptions({ producer: service, publishing: config.BILLING_OUTBOX_PUBLISHING }, env);
  return {
    service,
    ...basics,
    auth: resolveServiceAuth('billing', config, env),
    clock: resolveServiceClock(
      'billing',
      {
        skewMs: config.BILLING_CLOCK_SKEW_MS,
        skewVariable: 'BILLING_CLOCK_SKEW_MS',
        peers: {
          orders: `http://${LOOPBACK}:${config.ORDERS_HTTP_PORT}`,
          notifications: `http://${LOOPBACK}:${config.NOTIFICATIONS_HTTP_PORT}`,
          // The issuer's clock writes every token's `iat` and `exp`: the one that matters most (article 2).
          identity: trustedIssuer(config),
        },
      },
      env,
    ),
    // Checked here too (the service defaults check again when the app is created), so a naive
    // switch outside workshop mode stops the service with the plain configuration message.
    orderEvents: requireAllowedConsumerOrdering(
      'billing',
      {
        name: 'billing-orders',
        topics: [ORDER_EVENTS_TOPIC],
        ordering: config.BILLING_CONSUMER_ORDERING,
        failures: config.BILLING_CONSUMER_FAILURES,
        ...(config.BILLING_CONSUMER_RETRY_DELAYS_MS && { failurePolicy: { retryDelaysMs: config.BILLING_CONSUMER_RETRY_DELAYS_MS } }),
        deadLetterCare: { autoRedrive: config.BILLING_CONSUMER_AUTO_REDRIVE === 'true' },
      },
      env,
    ),
    replicaReads: replicaReadSettings('billing', 'BILLING', config, basics.database, env),
    billingRuns: requireAllowedBillingRunSchedule(
      'billing',
      {
        temporal: { address: `${LOOPBACK}:${config.TEMPORAL_PORT}`, namespace: config.TEMPORAL_NAMESPACE },
        taskQueue: config.BILLING_RUN_TASK_QUEUE,
        schedule: config.BILLING_RUN_SCHEDULE,
        runAt: DAILY_RUN_AT,
        serverTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      },
      env,
    ),
    paymentProvider: paymentProviderClientSettings('billing', config, env),
    outbox: { publishing },
    abuseLimits: resolveAbuseLimits(config),
  };
}

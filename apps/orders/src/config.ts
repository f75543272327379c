import { z } from 'zod';
import { ConfigurationError, loadConfig, packageVersion, port, readFaultlineEnvironment } from '@faultline/shared/config';
import { abuseLimitsEnvironment, resolveAbuseLimits } from '@faultline/shared/abuse-limits';
import { resolveServiceAuth, serviceAuthEnvironment } from '@faultline/shared/auth';
import type { ServiceTokenOptions } from './auth/service-tokens.js';
import { clockSkewMs, resolveServiceClock } from '@faultline/shared/clock-skew';
import { outboxPublishing, resolveOutboxOptions, type OutboxPublishing } from '@faultline/shared/outbox';
import { LOOPBACK, serviceBasics, serviceEnvironment, type ServiceSettings } from '@faultline/shared/service-defaults';
import { replicaReadSettings, replicaReadsEnvironment, type ReplicaReadOptions } from '@faultline/shared/consistency';
import {
  consistentReadWaitMs,
  orderReads,
  projectionDelayMs,
  resolveProjectionOptions,
  type ProjectionOptions,
} from './projections/projection-options.js';
import {
  ORDER_FULFILMENT_STARTER,
  orderFulfilmentMode,
  orderFulfilmentPlacedSince,
  orderFulfilmentTaskQueue,
  type OrderFulfilmentOptions,
} from './order-fulfilment/order-fulfilment-options.js';

/** Exactly the environment variables the orders service reads (infra/faultline.env, or the process). */
export const ordersEnvironment = serviceEnvironment('ORDERS', 'toxiproxy').extend({
  // Article 4's pitfall switch: `naive` publishes under random keys through an unordered producer.
  // `ordered` when unset; `naive` is refused unless FAULTLINE_WORKSHOP_MODE=true.
  ORDERS_OUTBOX_PUBLISHING: outboxPublishing(),
  // Article 7: the order history may be read from the streaming replica, through its own Toxiproxy
  // link. `ORDERS_REPLICA_READS=naive` (workshop only) reads the replica without tokens.
  ...replicaReadsEnvironment('ORDERS'),
  // Article 5's read models (projections/projection-options.ts explains each number). The delay and
  // `naive` reads are workshop switches, refused unless FAULTLINE_WORKSHOP_MODE=true.
  ORDERS_PROJECTION_DELAY_MS: projectionDelayMs(),
  ORDERS_CONSISTENT_READ_WAIT_MS: consistentReadWaitMs(),
  ORDERS_READS: orderReads(),
  // Article 6's order-fulfilment saga (order-fulfilment/order-fulfilment-options.ts): a Temporal
  // workflow per placed order, whose activities call billing's payments API. `off` for tests and
  // scenarios that are not about fulfilment.
  ORDERS_FULFILMENT: orderFulfilmentMode(),
  ORDERS_FULFILMENT_TASK_QUEUE: orderFulfilmentTaskQueue(),
  ORDERS_FULFILMENT_PLACED_SINCE: orderFulfilmentPlacedSince(),
  TEMPORAL_PORT: port(),
  TEMPORAL_NAMESPACE: z.string().min(1),
  BILLING_HTTP_PORT: port(),
  // Article 2: tokens come from the identity provider, which every service trusts (FAULTLINE_AUTH,
  // FAULTLINE_TOKEN_VALIDATION, FAULTLINE_TOKEN_ISSUER, FAULTLINE_JWKS_URL). ORDERS_CLOCK_SKEW_MS
  // (workshop only) runs this service's clock ahead or behind; the peers' clocks are probed at their HTTP ports.
  ...serviceAuthEnvironment,
  // Orders' own secret as OAuth client `orders` at the identity provider: its service tokens for
  // billing. Needed unless FAULTLINE_AUTH=off.
  IDENTITY_ORDERS_CLIENT_SECRET: z.string().min(24, 'use at least 24 characters').optional(),
  ORDERS_CLOCK_SKEW_MS: clockSkewMs(),
  NOTIFICATIONS_HTTP_PORT: port(),
  // ADR 0016: rate limits per caller, body and header sizes, trusted proxies (FAULTLINE_RATE_LIMIT_*,
  // FAULTLINE_JSON_BODY_LIMIT_BYTES, FAULTLINE_MAX_HEADER_BYTES, FAULTLINE_TRUST_PROXY).
  ...abuseLimitsEnvironment,
});

export interface OrdersSettings extends ServiceSettings {
  outbox: { publishing: OutboxPublishing };
  /** Where order history reads may go (article 7): the replica, by token and lag. */
  replicaReads: ReplicaReadOptions;
  projections: ProjectionOptions;
  /** The order-fulfilment saga (article 6): where Temporal and billing are, and whether it runs. */
  fulfilment: OrderFulfilmentOptions;
  /** Where orders gets tokens for its calls to billing (client credentials); none with FAULTLINE_AUTH=off. */
  serviceTokens: ServiceTokenOptions | undefined;
}

/** Validates the environment (throws ConfigurationError naming every bad variable) and maps it. */
export function loadOrdersSettings(env = readFaultlineEnvironment()): OrdersSettings {
  const config = loadConfig('orders', ordersEnvironment, env);
  const service = { name: 'orders', version: packageVersion(import.meta.url) };
  const basics = serviceBasics('ORDERS', 'toxiproxy', config);
  // Checked here too (OutboxModule checks again when the app is created), so a naive switch outside
  // workshop mode stops the service with the plain configuration message.
  const { publishing } = resolveOutboxOptions({ producer: service, publishing: config.ORDERS_OUTBOX_PUBLISHING }, env);
  const billingUrl = `http://${LOOPBACK}:${config.BILLING_HTTP_PORT}`;
  const auth = resolveServiceAuth(service.name, config, env);
  if (auth.enforcement === 'enforce' && config.IDENTITY_ORDERS_CLIENT_SECRET === undefined) {
    throw new ConfigurationError(service.name, [
      'IDENTITY_ORDERS_CLIENT_SECRET is not set: orders needs its client secret at the identity provider for its calls to billing (or FAULTLINE_AUTH=off)',
    ]);
  }
  return {
    service,
    ...basics,
    auth,
    clock: resolveServiceClock(
      service.name,
      {
        skewMs: config.ORDERS_CLOCK_SKEW_MS,
        skewVariable: 'ORDERS_CLOCK_SKEW_MS',
        peers: {
          billing: billingUrl,
          notifications: `http://${LOOPBACK}:${config.NOTIFICATIONS_HTTP_PORT}`,
          // The issuer's clock writes every token's `iat` and `exp`: the one that matters most (article 2).
          identity: auth.policy.issuer,
        },
      },
      env,
    ),
    outbox: { publishing },
    replicaReads: replicaReadSettings(service.name, 'ORDERS', config, basics.database, env),
    projections: resolveProjectionOptions(
      service.name,
      { delayMs: config.ORDERS_PROJECTION_DELAY_MS, readWaitMs: config.ORDERS_CONSISTENT_READ_WAIT_MS, reads: config.ORDERS_READS },
      env,
    ),
    fulfilment: {
      mode: config.ORDERS_FULFILMENT,
      temporal: { address: `${LOOPBACK}:${config.TEMPORAL_PORT}`, namespace: config.TEMPORAL_NAMESPACE },
      taskQueue: config.ORDERS_FULFILMENT_TASK_QUEUE,
      billingUrl,
      starter: ORDER_FULFILMENT_STARTER,
      ...(config.ORDERS_FULFILMENT_PLACED_SINCE && { placedSince: new Date(config.ORDERS_FULFILMENT_PLACED_SINCE) }),
    },
    serviceTokens:
      auth.enforcement === 'enforce' && config.IDENTITY_ORDERS_CLIENT_SECRET !== undefined
        ? { issuer: auth.policy.issuer, clientId: service.name, clientSecret: config.IDENTITY_ORDERS_CLIENT_SECRET }
        : undefined,
    abuseLimits: resolveAbuseLimits(config),
  };
}

import { loadConfig, packageVersion, port, readFaultlineEnvironment } from '@faultline/shared/config';
import { abuseLimitsEnvironment, resolveAbuseLimits } from '@faultline/shared/abuse-limits';
import { BILLING_PAYMENT_EVENTS_TOPIC, ORDER_EVENTS_TOPIC } from '@faultline/shared/contracts';
import type { EventConsumerOptions } from '@faultline/shared/messaging';
import { resolveServiceAuth, serviceAuthEnvironment, trustedIssuer } from '@faultline/shared/auth';
import { clockSkewMs, resolveServiceClock } from '@faultline/shared/clock-skew';
import { LOOPBACK, serviceBasics, serviceEnvironment, type ServiceSettings } from '@faultline/shared/service-defaults';
import { deliveryEnvironment, deliverySettings, type DeliverySettings } from './delivery/delivery-settings.js';

/** Exactly the environment variables the notifications service reads (infra/faultline.env, or the process). */
export const notificationsEnvironment = serviceEnvironment('NOTIFICATIONS', 'toxiproxy').extend({
  // Article 2: tokens from the identity provider (FAULTLINE_AUTH, FAULTLINE_TOKEN_VALIDATION,
  // FAULTLINE_TOKEN_ISSUER, FAULTLINE_JWKS_URL); NOTIFICATIONS_CLOCK_SKEW_MS (workshop only) skews this
  // service's clock; the peers' clocks are probed at their HTTP ports.
  ...serviceAuthEnvironment,
  NOTIFICATIONS_CLOCK_SKEW_MS: clockSkewMs(),
  ORDERS_HTTP_PORT: port(),
  BILLING_HTTP_PORT: port(),
  // ADR 0016: rate limits per caller, body and header sizes, trusted proxies (FAULTLINE_RATE_LIMIT_*,
  // FAULTLINE_JSON_BODY_LIMIT_BYTES, FAULTLINE_MAX_HEADER_BYTES, FAULTLINE_TRUST_PROXY).
  ...abuseLimitsEnvironment,
  // E-mail delivery: MailDev's SMTP port through Toxiproxy (TOXIPROXY_SMTP_PORT), the From header,
  // the SMTP breaker's half-open delay and the sender's poll interval.
  ...deliveryEnvironment,
});

export interface NotificationsSettings extends ServiceSettings {
  /** The consumer of the orders service's events that records due notifications (tests give it a topic of its own). */
  orderEvents: EventConsumerOptions;
  /** The consumer of billing's payment events that records receipts (tests give it a topic of its own). */
  paymentEvents: EventConsumerOptions;
  /** The delivery outbox's sender and its SMTP server (tests shorten its intervals). */
  delivery: DeliverySettings;
}

/** Validates the environment (throws ConfigurationError naming every bad variable) and maps it. */
export function loadNotificationsSettings(env = readFaultlineEnvironment()): NotificationsSettings {
  const config = loadConfig('notifications', notificationsEnvironment, env);
  return {
    service: { name: 'notifications', version: packageVersion(import.meta.url) },
    ...serviceBasics('NOTIFICATIONS', 'toxiproxy', config),
    auth: resolveServiceAuth('notifications', config, env),
    clock: resolveServiceClock(
      'notifications',
      {
        skewMs: config.NOTIFICATIONS_CLOCK_SKEW_MS,
        skewVariable: 'NOTIFICATIONS_CLOCK_SKEW_MS',
        peers: {
          orders: `http://${LOOPBACK}:${config.ORDERS_HTTP_PORT}`,
          billing: `http://${LOOPBACK}:${config.BILLING_HTTP_PORT}`,
          // The issuer's clock writes every token's `iat` and `exp`: the one that matters most (article 2).
          identity: trustedIssuer(config),
        },
      },
      env,
    ),
    orderEvents: { name: 'notifications-orders', topics: [ORDER_EVENTS_TOPIC] },
    paymentEvents: { name: 'notifications-payments', topics: [BILLING_PAYMENT_EVENTS_TOPIC] },
    abuseLimits: resolveAbuseLimits(config),
    delivery: deliverySettings(config),
  };
}

import { z } from 'zod';
import { port } from '@faultline/shared/config';
import { DEFAULT_RESILIENCE_POLICY, type ResiliencePolicy } from '@faultline/shared/resilience';
import { LOOPBACK } from '@faultline/shared/service-defaults';

/** How notifications delivers its outbox of due e-mails over SMTP. */
export interface DeliverySettings {
  /** MailDev's SMTP port, reached through Toxiproxy's `smtp` proxy so tests can cut it. */
  smtp: { host: string; port: number };
  /** The From header of every e-mail. */
  from: string;
  /** The SMTP server's pipeline (article 1): timeout inside a breaker, jittered retries outside. */
  policy: ResiliencePolicy;
  /** How often the sender looks for due rows when it found none (it goes on at once while it finds some). */
  pollIntervalMs: number;
  /** After a failed attempt a row waits `firstMs`, doubling (with jitter) up to `maxMs`, before its next one. */
  retryBackoff: { firstMs: number; maxMs: number };
}

export const SMTP_POLICY: ResiliencePolicy = {
  ...DEFAULT_RESILIENCE_POLICY,
  // A mail sink or relay accepts a message in well under a second; 5 s covers a slow greeting and
  // is still short enough that three attempts hold a claimed row for under 20 s.
  timeoutMs: 5_000,
};

/**
 * Rows are retried for as long as the SMTP server is out (an outage must not lose mail): at first
 * after 5 s, so a blip costs little, at most every 5 minutes, so a long outage is not hammered.
 */
export const RETRY_BACKOFF = { firstMs: 5_000, maxMs: 5 * 60_000 };

/** The notifications variables for delivery; config.ts spreads them in. */
export const deliveryEnvironment = {
  TOXIPROXY_SMTP_PORT: port(),
  NOTIFICATIONS_MAIL_FROM: z.string().min(3).default('Faultline <notifications@faultline.example>'),
  // The workshop shortens the breaker's half-open delay so an SMTP outage's recovery is seen at once.
  NOTIFICATIONS_SMTP_BREAKER_HALF_OPEN_MS: z.coerce.number().int().positive().optional(),
  NOTIFICATIONS_DELIVERY_POLL_MS: z.coerce.number().int().min(10).default(1_000),
};

type DeliveryEnvironment = z.infer<z.ZodObject<typeof deliveryEnvironment>>;

export function deliverySettings(config: DeliveryEnvironment): DeliverySettings {
  return {
    smtp: { host: LOOPBACK, port: config.TOXIPROXY_SMTP_PORT },
    from: config.NOTIFICATIONS_MAIL_FROM,
    policy: {
      ...SMTP_POLICY,
      breaker: { ...SMTP_POLICY.breaker, halfOpenAfterMs: config.NOTIFICATIONS_SMTP_BREAKER_HALF_OPEN_MS ?? SMTP_POLICY.breaker.halfOpenAfterMs },
    },
    pollIntervalMs: config.NOTIFICATIONS_DELIVERY_POLL_MS,
    retryBackoff: RETRY_BACKOFF,
  };
}

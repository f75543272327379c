import { parseLocalTime, quietHoursEnd } from '../contact-preferences/quiet-hours.js';
import type { ContactPreferences, EmailKind } from '../entities/index.js';
import { isTransactional } from '../email-templates/email-kinds.js';

/** What the sender does with a due row once it has the customer's preferences. */
export type DeliveryDecision =
  | { action: 'send'; to: string; timeZone: string }
  | { action: 'hold'; until: Date }
  | { action: 'no-address' };

/**
 * The end of the customer's quiet hours when `instant` falls inside them and the mail may wait;
 * undefined otherwise. Transactional mail (a decision about the order or the money) is never held.
 */
export function quietHoursHold(kind: EmailKind, preferences: ContactPreferences | null, instant: Date): Date | undefined {
  if (isTransactional(kind) || !preferences?.quietHoursStart || !preferences.quietHoursEnd) return undefined;
  return quietHoursEnd(instant, {
    start: parseLocalTime(preferences.quietHoursStart),
    end: parseLocalTime(preferences.quietHoursEnd),
    timeZone: preferences.timeZone,
  });
}

/**
 * A customer without contact preferences has nowhere to be written to: the row ends `no-address`
 * (listed, never sent; preferences set later do not revive it). Quiet hours are checked again at
 * sending time, because the row may have waited (an outage, a lagging consumer) into them.
 */
export function decideDelivery(kind: EmailKind, preferences: ContactPreferences | null, now: Date): DeliveryDecision {
  if (!preferences) return { action: 'no-address' };
  const until = quietHoursHold(kind, preferences, now);
  if (until) return { action: 'hold', until };
  return { action: 'send', to: preferences.email, timeZone: preferences.timeZone };
}

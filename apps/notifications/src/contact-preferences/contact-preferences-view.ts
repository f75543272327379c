import { z } from 'zod';
import { ianaTimeZone } from '@faultline/shared/time';
import type { ContactPreferences } from '../entities/index.js';
import { localTimeOfDay } from './quiet-hours.js';

const quietHours = z
  .object({ start: localTimeOfDay(), end: localTimeOfDay() })
  .refine((q) => q.start !== q.end, { message: 'start and end must differ (22:00–07:00 crosses midnight)', path: ['end'] });

export const putContactPreferencesRequest = z
  .object({
    email: z.email().max(254),
    timeZone: ianaTimeZone(),
    // Wall-clock times in `timeZone`; non-transactional mail waits until they end (article 9). Omitted or null: none.
    quietHours: quietHours.nullable().optional(),
  })
  .meta({ id: 'PutContactPreferencesRequest' });
export type PutContactPreferencesRequest = z.infer<typeof putContactPreferencesRequest>;

export const contactPreferencesView = z
  .object({
    customerId: z.uuid(),
    email: z.string(),
    timeZone: z.string(),
    quietHours: z.object({ start: z.string(), end: z.string() }).nullable(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'ContactPreferences' });
export type ContactPreferencesView = z.infer<typeof contactPreferencesView>;

export function toContactPreferencesView(preferences: ContactPreferences): ContactPreferencesView {
  const { quietHoursStart: start, quietHoursEnd: end } = preferences;
  return {
    customerId: preferences.customerId,
    email: preferences.email,
    timeZone: preferences.timeZone,
    quietHours: start && end ? { start, end } : null,
    updatedAt: preferences.updatedAt.toISOString(),
  };
}

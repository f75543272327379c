import { z } from 'zod';
import type { BillingCustomer } from './entities/index.js';

export const customerView = z
  .object({
    customerId: z.uuid(),
    displayName: z.string(),
    timeZone: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'BillingCustomer' });
export type CustomerView = z.infer<typeof customerView>;

export function toCustomerView({ id, displayName, timeZone, createdAt }: BillingCustomer): CustomerView {
  return { customerId: id, displayName, timeZone, createdAt: createdAt.toISOString() };
}

import { z } from 'zod';

/** What the provider did with the request sent with one Idempotency-Key, and what it answered. */
export const requestRecordView = z
  .object({
    idempotencyKey: z.string(),
    operation: z.enum(['authorize', 'capture', 'void', 'refund']),
    status: z.enum(['succeeded', 'failed']),
    /** The body the provider answered: an Authorization, or the problem of a refusal. */
    response: z.looseObject({}),
  })
  .meta({ id: 'RequestRecord' });
export type RequestRecordView = z.infer<typeof requestRecordView>;

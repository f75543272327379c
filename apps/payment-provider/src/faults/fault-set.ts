import { z } from 'zod';

/**
 * The faults a workshop switches on at run time (`PUT /admin/faults`), each one a way a real payment
 * provider fails. They apply to the provider's /v1 API only, never to /admin, /health or /metrics.
 */
export const faultSet = z
  .strictObject({
    /** Article 1: a slow provider. Each request waits this long before it is handled — and is still
     * handled when the client gave up meanwhile, so a client timeout leaves an unknown outcome (article 6).
     * At most 10 minutes: far past any client timeout worth showing, short of holding a request forever (`hang`). */
    latencyMs: z.int().min(0).max(600_000).optional(),
    /** Article 1: this share of requests fail with a 503 before any effect, the failures a breaker counts. */
    errorRate: z.number().min(0).max(1).optional(),
    /** Article 1: requests are accepted and never answered — only a client timeout gets the caller out. */
    hang: z.boolean().optional(),
    /** Article 6: the effect commits, then the connection is cut: the client cannot know it was charged. */
    dropResponseAfterCommit: z.boolean().optional(),
    /** Article 6: the effect commits and the answer is a 200 whose body does not match the schema. */
    corruptBody: z.boolean().optional(),
    /** A business refusal (402 card-declined): a 4xx that a breaker must not count and a retry must not repeat. */
    decline: z.boolean().optional(),
    /** Apply to the next N /v1 requests only (every /v1 request counts, whichever faults touch it), then clear. */
    times: z.int().positive().optional(),
  })
  .meta({ id: 'FaultSet' });
export type FaultSet = z.infer<typeof faultSet>;

/** The faults in force, every switch spelled out; `times` is what is left, absent when unlimited. */
export const activeFaults = z
  .object({
    latencyMs: z.int(),
    errorRate: z.number(),
    hang: z.boolean(),
    dropResponseAfterCommit: z.boolean(),
    corruptBody: z.boolean(),
    decline: z.boolean(),
    times: z.int().optional(),
  })
  .meta({ id: 'ActiveFaults' });
export type ActiveFaults = z.infer<typeof activeFaults>;

export const NO_FAULTS: ActiveFaults = {
  latencyMs: 0,
  errorRate: 0,
  hang: false,
  dropResponseAfterCommit: false,
  corruptBody: false,
  decline: false,
};

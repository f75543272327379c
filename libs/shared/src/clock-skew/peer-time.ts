import { z } from 'zod';

/** The path a service answers its peers' clock probes on. */
export const PEER_TIME_PATH = '/time';

/**
 * The answer to a clock probe: when the request reached this service and when the answer left it,
 * both read from its injected clock. Two instants rather than one let the prober subtract this
 * service's own processing time from the round trip.
 */
export const peerTimeResponseSchema = z.object({
  receivedAt: z.iso.datetime(),
  sentAt: z.iso.datetime(),
});

export type PeerTimeResponse = z.infer<typeof peerTimeResponseSchema>;

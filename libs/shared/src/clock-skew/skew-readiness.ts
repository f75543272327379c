import type { OffsetEstimate } from './offset-estimate.js';

/** What a peer's last probe found: an estimate, or why there is none. */
export type PeerSkew = OffsetEstimate | { error: string };

export interface SkewReadiness {
  status: 'up' | 'down';
  detail: string;
  peers: Record<string, PeerSkew>;
}

/**
 * A readiness check: down when any peer's clock is more than `maxSkewMs` away from ours. Call it
 * with half the token clock tolerance: if every service stays within half of it from its peers, a
 * token travelling between any two of them never needs more than the tolerance, and an operator is
 * warned (this replica leaves the load balancer) before tokens start failing (article 2).
 * An unreachable peer does not fail readiness: its skew is unknown, and failing here would turn one
 * service's outage into every service's.
 */
export function skewWithin(maxSkewMs: number): (peers: ReadonlyMap<string, PeerSkew>) => SkewReadiness {
  return (peers) => {
    const report = Object.fromEntries(peers);
    const tooFar = [...peers].flatMap(([peer, skew]) =>
      'offsetMs' in skew && Math.abs(skew.offsetMs) > maxSkewMs ? [`${peer} ${describe(skew.offsetMs)}`] : [],
    );
    if (tooFar.length > 0) {
      return {
        status: 'down',
        detail:
          `clock skew beyond ${maxSkewMs / 1_000} s: ${tooFar.join(', ')} — tokens between these services will soon be ` +
          `refused; fix time synchronisation (NTP) on the host that is off`,
        peers: report,
      };
    }
    const measured = [...peers.values()].filter((skew) => 'offsetMs' in skew).length;
    return {
      status: 'up',
      detail: `${measured} of ${peers.size} peer clock(s) measured, all within ${maxSkewMs / 1_000} s`,
      peers: report,
    };
  };
}

function describe(offsetMs: number): string {
  const seconds = Number((Math.abs(offsetMs) / 1_000).toFixed(3));
  return offsetMs > 0 ? `is ${seconds} s ahead` : `is ${seconds} s behind`;
}

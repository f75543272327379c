import { Inject, Injectable } from '@nestjs/common';
import { TokenIssuer } from '@faultline/shared/auth';
import { CLOCK, type Clock } from '@faultline/shared/clock';

/**
 * Renew this long before expiry (on the monotonic clock): a token handed out now must survive the
 * call's retries (seconds) and still arrive before its `exp` by the receiver's clock, which may run
 * up to the tolerance ahead (article 2). One minute covers both with room to spare.
 */
const RENEW_BEFORE_EXPIRY_MS = 60_000;

/**
 * Orders' service tokens for its own outgoing calls (`sub` orders, `aud` the called service), minted
 * in-process by its own issuer and cached until shortly before they expire: one signature per
 * lifetime, not per request.
 */
@Injectable()
export class ServiceTokens {
  private readonly cached = new Map<string, { token: string; renewAtMonotonicMs: number }>();

  constructor(
    private readonly issuer: TokenIssuer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A token orders may present to `audience` (`billing`). */
  async tokenFor(audience: string): Promise<string> {
    const now = this.clock.monotonicMs();
    const hit = this.cached.get(audience);
    if (hit && now < hit.renewAtMonotonicMs) return hit.token;
    const token = await this.issuer.issue({ subject: 'orders', audience });
    const lifetimeMs = this.issuer.policy.lifetimeSeconds * 1_000;
    this.cached.set(audience, { token, renewAtMonotonicMs: now + Math.max(0, lifetimeMs - RENEW_BEFORE_EXPIRY_MS) });
    return token;
  }
}

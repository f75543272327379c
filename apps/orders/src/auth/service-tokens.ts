import { Inject, Injectable } from '@nestjs/common';
import * as oidc from 'openid-client';
import { resourceIndicatorOf } from '@faultline/shared/auth';
import { CLOCK, type Clock } from '@faultline/shared/clock';

/**
 * Renew this long before expiry (on the monotonic clock): a token handed out now must survive the
 * call's retries (seconds) and still arrive before its `exp` by the receiver's clock, which may run
 * up to the tolerance ahead (article 2). One minute covers both with room to spare.
 */
const RENEW_BEFORE_EXPIRY_MS = 60_000;

/** Where orders gets the tokens for its own calls: the identity provider, as OAuth client `orders`. */
export interface ServiceTokenOptions {
  /** The identity provider's issuer URL; its discovery document names the token endpoint. */
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export const SERVICE_TOKEN_OPTIONS = Symbol('SERVICE_TOKEN_OPTIONS');

interface Cached {
  token: Promise<string>;
  renewAtMonotonicMs: number;
}

/**
 * Orders' service tokens for its own outgoing calls (`sub` orders, `aud` the called service): the
 * client credentials grant at the identity provider (RFC 6749 §4.4) with the called service as the
 * resource (RFC 8707), cached until shortly before they expire — one request per lifetime, not per
 * call. Concurrent callers share one request; a failed one is not cached, so the next call (the
 * saga's activity retry) asks again. Without options (FAULTLINE_AUTH=off) it hands out no token.
 */
@Injectable()
export class ServiceTokens {
  private readonly cached = new Map<string, Cached>();
  private provider: Promise<oidc.Configuration> | undefined;

  constructor(
    @Inject(SERVICE_TOKEN_OPTIONS) private readonly options: ServiceTokenOptions | undefined,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A token orders may present to `audience` (`billing`); `''` when tokens are off. */
  async tokenFor(audience: string): Promise<string> {
    if (!this.options) return '';
    const now = this.clock.monotonicMs();
    const hit = this.cached.get(audience);
    if (hit && now < hit.renewAtMonotonicMs) return hit.token;
    const entry: Cached = { token: this.request(audience, now), renewAtMonotonicMs: Number.POSITIVE_INFINITY };
    this.cached.set(audience, entry);
    try {
      return await entry.token;
    } catch (error) {
      if (this.cached.get(audience) === entry) this.cached.delete(audience);
      throw error;
    }
  }

  private async request(audience: string, askedAtMonotonicMs: number): Promise<string> {
    const response = await oidc.clientCredentialsGrant(await this.discover(), { resource: resourceIndicatorOf(audience) });
    const lifetimeMs = (response.expires_in ?? 0) * 1_000;
    const entry = this.cached.get(audience);
    if (entry) entry.renewAtMonotonicMs = askedAtMonotonicMs + Math.max(0, lifetimeMs - RENEW_BEFORE_EXPIRY_MS);
    return response.access_token;
  }

  private discover(): Promise<oidc.Configuration> {
    const { issuer, clientId, clientSecret } = this.options as ServiceTokenOptions;
    // Plain HTTP only where the issuer is plain HTTP: the local identity provider on the loopback.
    const execute = new URL(issuer).protocol === 'http:' ? [oidc.allowInsecureRequests] : [];
    if (!this.provider) {
      this.provider = oidc.discovery(new URL(issuer), clientId, undefined, oidc.ClientSecretBasic(clientSecret), { execute });
      // An unreachable provider is asked again on the next call, not remembered as down.
      this.provider.catch(() => (this.provider = undefined));
    }
    return this.provider;
  }
}

import { SkewedClock, SystemClock } from '@faultline/shared/clock';
import { startTestIssuer, type TestIssuer } from '@faultline/shared/testing';
import { TokenCache, type SystemUnderTest, type TokenAuthority } from './system-under-test.js';

/** The services of a bad-input run, trusting the test issuer whose tokens the fuzz and the attacks send. */
export type BadInputSystem = SystemUnderTest<TestIssuerTokens>;

/**
 * The authority of the bad input: a test issuer (@faultline/shared/testing) that the services trust
 * through its `environment`, instead of the identity provider. The token attacks need what no
 * identity provider offers: a trusted signer whose clock they move (an expired token, one not valid
 * yet), and a second issuer whose key the trusted JWKS publishes (a token refused on `iss` alone).
 * Verification is the services' own either way. It issues a token for any customer id, so the fuzz
 * names one fixed customer (FUZZ_CUSTOMER_ID) in its generators.
 */
export class TestIssuerTokens implements TokenAuthority {
  private readonly cache = new TokenCache();

  private constructor(
    readonly issuer: TestIssuer,
    private readonly clock: SkewedClock,
  ) {}

  static async start(): Promise<TestIssuerTokens> {
    const clock = new SkewedClock(new SystemClock(), 0);
    return new TestIssuerTokens(await startTestIssuer(clock), clock);
  }

  get description(): string {
    return `a test issuer at ${this.issuer.issuerUrl}, trusted by every service (FAULTLINE_TOKEN_ISSUER, FAULTLINE_JWKS_URL)`;
  }

  get environment(): Readonly<Record<string, string>> {
    return this.issuer.environment;
  }

  /** A user token (aud faultline-api) for a customer. */
  userToken(customerId: string): Promise<string> {
    return this.cache.get(`user:${customerId}`, () => this.issuer.userToken(customerId));
  }

  /** A user token with the operator scope (company-wide reports). */
  operatorToken(): Promise<string> {
    return this.cache.get('operator', () => this.issuer.operatorToken('bad-input-operator'));
  }

  /** A service token of `subject` for `audience`: what orders' saga holds to call billing's payments. */
  serviceToken(subject: string, audience: string): Promise<string> {
    return this.cache.get(`service:${subject}:${audience}`, () => this.issuer.serviceToken(subject, audience));
  }

  /** Mints with the issuer's clock moved by `offsetMs`: -1 h gives an expired token, +1 h one not valid yet. */
  async issuedAt(offsetMs: number, mint: (issuer: TestIssuer) => Promise<string>): Promise<string> {
    this.clock.setSkew(offsetMs);
    try {
      return await mint(this.issuer);
    } finally {
      this.clock.setSkew(0);
    }
  }

  stop(): Promise<void> {
    return this.issuer.stop();
  }
}

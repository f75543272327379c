import { readFaultlineEnvironment } from '@faultline/shared/config';
import type { ServiceProcess } from '@faultline/shared/testing';
import { OPERATOR_CLIENT_ID, ORDERS_CLIENT_ID, serviceToken, signUp, startIdentity, userToken } from '@faultline/identity/testing';
import { TokenCache, type SystemUnderTest, type TokenAuthority } from '../bad-input/system-under-test.js';

/** The services of a cross-customer walk, trusting the identity provider. */
export type IdentityTrustingSystem = SystemUnderTest<IdentityProviderTokens>;

/** A customer who signed up at the identity provider and signed in: their id (the token's `sub`) and user token. */
export interface SignedInCustomer {
  customerId: string;
  token: string;
}

/**
 * The identity provider (apps/identity) as the services trust it in production, started as a
 * process on a free port with its own database: its issuer is its URL, which every service is given
 * as FAULTLINE_TOKEN_ISSUER (the keys are at the default `<issuer>/oidc/jwks`), and orders asks it
 * for its service tokens there. Customers sign up and sign in with the authorization code flow and
 * PKCE; the operator's and the orders service's tokens come from the client credentials grant.
 */
export class IdentityProviderTokens implements TokenAuthority {
  private readonly cache = new TokenCache();

  private constructor(
    readonly identity: ServiceProcess,
    private readonly secrets: { orders: string; operator: string },
  ) {}

  static async start(): Promise<IdentityProviderTokens> {
    const env = readFaultlineEnvironment();
    const secrets = { orders: env.IDENTITY_ORDERS_CLIENT_SECRET ?? '', operator: env.IDENTITY_OPERATOR_CLIENT_SECRET ?? '' };
    return new IdentityProviderTokens(await startIdentity({ env: () => ({ LOG_LEVEL: 'warn' }) }), secrets);
  }

  get url(): string {
    return this.identity.url;
  }

  get description(): string {
    return `the identity provider at ${this.url} (log ${this.identity.logFile}), trusted by every service (FAULTLINE_TOKEN_ISSUER)`;
  }

  get environment(): Readonly<Record<string, string>> {
    return { FAULTLINE_TOKEN_ISSUER: this.url };
  }

  /** A new customer: signs up with a fresh e-mail address, then signs in as a person does. */
  async signedInCustomer(): Promise<SignedInCustomer> {
    const customer = await signUp(this.url);
    return { customerId: customer.customerId, token: await userToken(this.url, customer) };
  }

  /** The operator client's token (client credentials): `faultline:operator` at every service's API. */
  operatorToken(): Promise<string> {
    return this.cache.get('operator', () =>
      serviceToken(this.url, { clientId: OPERATOR_CLIENT_ID, clientSecret: this.secrets.operator, resource: 'faultline-api', scope: 'faultline:operator' }),
    );
  }

  /** A service token of `caller` for `audience`; orders is the one service that is a client of the identity provider. */
  serviceToken(caller: string, audience: string): Promise<string> {
    if (caller !== ORDERS_CLIENT_ID) return Promise.reject(new Error(`the identity provider has no client for the ${caller} service`));
    return this.cache.get(`service:${audience}`, () => serviceToken(this.url, { clientId: ORDERS_CLIENT_ID, clientSecret: this.secrets.orders, resource: audience }));
  }

  stop(): Promise<void> {
    return this.identity.stop();
  }
}

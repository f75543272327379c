import { z } from 'zod';
import { ORDERS_CLIENT_ID, serviceToken, signUp, userToken } from '@faultline/identity/testing';
import { loadConfig, port } from '@faultline/shared/config';
import { ServiceProcess, bearerFetch, requirePortFree } from '@faultline/shared/testing';

/** A customer of the running system: signed up at the identity provider, signed in once. */
export interface Customer {
  /** Chosen by the identity provider at sign-up, never by the client: the `sub` of the customer's token. */
  readonly customerId: string;
  /** `fetch` as this customer: their user token as `Authorization: Bearer`, to orders and billing alike. */
  readonly fetch: typeof fetch;
}

/** What the identity provider of a scenario needs from infra/faultline.env. */
function identityEnvironment() {
  return loadConfig('scenarios', z.object({ IDENTITY_HTTP_PORT: port(), IDENTITY_ORDERS_CLIENT_SECRET: z.string().min(1) }));
}

/** Fails before any service starts when something already listens on the identity provider's port. */
export async function requireIdentityPortFree(): Promise<void> {
  await requirePortFree('identity', identityEnvironment().IDENTITY_HTTP_PORT);
}

/**
 * The identity provider (apps/identity) of a scenario, the issuer every service trusts (article 2):
 * started on its configured port, where the services' default FAULTLINE_TOKEN_ISSUER and
 * FAULTLINE_JWKS_URL already point, so they verify its tokens exactly as in production. Clients get
 * their tokens from it as real ones do: a customer signs up and signs in (the authorization code
 * flow with PKCE), a caller standing in for the orders service uses orders' client credentials.
 * Start it before the services, stop it after them, in `finally`.
 */
export class ScenarioIdentity {
  /** `fetch` as the orders service calling billing: a client_credentials token (`sub orders`, `aud billing`). */
  readonly asOrdersService: typeof fetch;

  private constructor(
    private readonly service: ServiceProcess,
    private readonly ordersClientSecret: string,
  ) {
    this.asOrdersService = bearerFetch(() => this.ordersServiceToken('billing'));
  }

  /** `env` goes on top of infra/faultline.env: e.g. FAULTLINE_TOKEN_VALIDATION=naive for 24 h tokens (workshop mode only). */
  static async start(env: Record<string, string> = {}): Promise<ScenarioIdentity> {
    const config = identityEnvironment();
    const service = await ServiceProcess.start({ app: 'identity', port: config.IDENTITY_HTTP_PORT, env: () => env, logName: 'scenario-identity' });
    return new ScenarioIdentity(service, config.IDENTITY_ORDERS_CLIENT_SECRET);
  }

  /** The issuer, `http://127.0.0.1:<IDENTITY_HTTP_PORT>`: every token's `iss`, and the base of its endpoints. */
  get url(): string {
    return this.service.url;
  }

  /** A new customer: a fresh account, whose user token is fetched on first use and reused, as a real client does. */
  async newCustomer(): Promise<Customer> {
    return (await this.newCustomerWithCredentials()).customer;
  }

  /** A new customer and the e-mail and password they sign in with, for a test that signs in as a person does (a browser's login form). */
  async newCustomerWithCredentials(): Promise<{ customer: Customer; email: string; password: string }> {
    const credentials = await signUp(this.url);
    return { customer: { customerId: credentials.customerId, fetch: bearerFetch(() => userToken(this.url, credentials)) }, email: credentials.email, password: credentials.password };
  }

  /** Orders' service token for `audience`, as orders gets it: one client_credentials request. */
  ordersServiceToken(audience: string): Promise<string> {
    return serviceToken(this.url, { clientId: ORDERS_CLIENT_ID, clientSecret: this.ordersClientSecret, resource: audience });
  }

  stop(): Promise<void> {
    return this.service.stop();
  }
}

import fc from 'fast-check';
import type { ServiceName } from './system-under-test.js';

/** The token a route needs when the request is meant to reach its validation. */
export type Credential = 'public' | 'user' | 'operator' | 'billing-service';

/**
 * One HTTP API that takes input (a body, a path parameter or a query), read off the controllers
 * of apps/*, with generators of VALID input: the fuzz breaks them one field at a time, and sends
 * some of them whole, so the validation paths and the handlers behind them are reached too.
 */
export interface HttpApi {
  service: ServiceName;
  method: 'GET' | 'POST' | 'PUT';
  /** With `{name}` for each path parameter, as in OpenAPI. */
  route: string;
  params?: Record<string, fc.Arbitrary<string>>;
  query?: fc.Arbitrary<Record<string, string>>;
  body?: fc.Arbitrary<Record<string, unknown>>;
  /** `{}` and no body at all are both valid (capture, void, refund). */
  emptyBodyValid?: boolean;
  idempotencyKey?: 'required' | 'optional';
  credential: Credential;
  /**
   * The API switches state that other APIs of the service see (the provider's fault switch): it is
   * fuzzed after the others, alone, and the state is reset afterwards with this request.
   */
  resetAfter?: { method: 'DELETE'; path: string };
}

export function apiName(api: HttpApi): string {
  return `${api.service} ${api.method} ${api.route}`;
}

/**
 * The customer whose user token signs the fuzz's requests; valid bodies and customer paths name
 * them, since a customer acts only on their own data (another customer's id is answered 403).
 */
export const FUZZ_CUSTOMER_ID = '0b6f4b8e-2f7c-4c1a-9d3e-5a6b7c8d9e0f';
const fuzzCustomer = fc.constant(FUZZ_CUSTOMER_ID);

const uuid = fc.uuid();
const currency = fc.constantFrom('EUR', 'USD', 'JPY', 'BHD', 'GBP');
const text = (minLength: number, maxLength: number) => fc.string({ minLength, maxLength }).filter((s) => s.trim().length >= minLength);
const idempotencyKey = fc.uuid();
const timeZone = fc.constantFrom('Europe/Paris', 'America/New_York', 'Asia/Tokyo', 'UTC', 'Australia/Lord_Howe', 'Asia/Kathmandu');
const isoDate = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true });
const dateRange = fc
  .tuple(isoDate, fc.integer({ min: 0, max: 40 }))
  .map(([from, days]) => ({ from: from.toISOString().slice(0, 10), to: new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 10) }));

const placeOrder = fc.record({
  customerId: fc.constant(FUZZ_CUSTOMER_ID),
  currency,
  items: fc.array(
    fc.record({ sku: text(1, 64), quantity: fc.integer({ min: 1, max: 10_000 }), unitPriceCents: fc.integer({ min: 0, max: 1_000_000_000 }) }),
    { minLength: 1, maxLength: 5 },
  ),
});
const authorizePayment = fc.record({
  orderId: uuid,
  customerId: uuid,
  amountMinor: fc.integer({ min: 1, max: 1_000_000 }),
  currency,
});
const providerAuthorize = fc.record({
  amountMinor: fc.integer({ min: 1, max: 1_000_000 }),
  currency,
  customerReference: text(1, 200),
  orderReference: text(1, 200),
});
/** Only switches that change nothing: a valid body must not turn the provider slow or broken for the other APIs. */
const harmlessFaults = fc.record(
  { latencyMs: fc.constant(0), errorRate: fc.constant(0), hang: fc.constant(false), decline: fc.constant(false), times: fc.integer({ min: 1, max: 5 }) },
  { requiredKeys: [] },
);
const authorizationId = fc.oneof(fc.constant('auth_').chain((p) => fc.uuid().map((u) => `${p}${u}`)), text(1, 100));

/** One service's APIs, each written without the service it belongs to. */
type ServiceApi = Omit<HttpApi, 'service'>;

function apisOf(service: ServiceName, apis: readonly ServiceApi[]): HttpApi[] {
  return apis.map((api) => ({ service, ...api }));
}

const ordersApis = apisOf('orders', [
  { method: 'POST', route: '/orders', body: placeOrder, idempotencyKey: 'required', credential: 'user' },
  {
    method: 'POST',
    route: '/orders/{id}/cancel',
    params: { id: uuid },
    body: fc.record({ reason: text(1, 500) }),
    idempotencyKey: 'required',
    credential: 'user',
  },
  { method: 'GET', route: '/orders/{id}', params: { id: uuid }, credential: 'user' },
  { method: 'GET', route: '/customers/{customerId}/orders', params: { customerId: fuzzCustomer }, credential: 'user' },
  { method: 'GET', route: '/customers/{customerId}/order-history', params: { customerId: fuzzCustomer }, credential: 'user' },
]);

const paymentChange = (change: string): ServiceApi => ({
  method: 'POST',
  route: `/payments/{paymentId}/${change}`,
  params: { paymentId: uuid },
  body: fc.constant({}),
  emptyBodyValid: true,
  idempotencyKey: 'required',
  credential: 'billing-service',
});

const billingApis = apisOf('billing', [
  { method: 'PUT', route: '/customers/{id}', params: { id: fuzzCustomer }, body: fc.record({ displayName: text(1, 200), timeZone }), credential: 'user' },
  { method: 'GET', route: '/customers/{id}', params: { id: fuzzCustomer }, credential: 'user' },
  { method: 'GET', route: '/orders/{id}', params: { id: uuid }, credential: 'user' },
  { method: 'POST', route: '/payments/authorizations', body: authorizePayment, idempotencyKey: 'required', credential: 'billing-service' },
  paymentChange('capture'),
  paymentChange('void'),
  paymentChange('refund'),
  { method: 'GET', route: '/payments/requests/{idempotencyKey}', params: { idempotencyKey }, credential: 'billing-service' },
  { method: 'GET', route: '/payments/{paymentId}', params: { paymentId: uuid }, credential: 'billing-service' },
  { method: 'GET', route: '/payments', query: fc.record({ orderId: uuid }), credential: 'billing-service' },
  { method: 'GET', route: '/reports/customers/{customerId}/daily-orders', params: { customerId: fuzzCustomer }, query: dateRange, credential: 'user' },
  {
    method: 'GET',
    route: '/reports/daily-revenue',
    query: fc.tuple(timeZone, dateRange).map(([zone, range]) => ({ zone, ...range })),
    credential: 'operator',
  },
]);

const notificationsApis = apisOf('notifications', [
  {
    method: 'GET',
    route: '/customers/{customerId}/notifications',
    params: { customerId: fuzzCustomer },
    query: fc.record({ orderId: uuid }, { requiredKeys: [] }),
    credential: 'user',
  },
]);

const transition = (move: string): ServiceApi => ({
  method: 'POST',
  route: `/v1/authorizations/{id}/${move}`,
  params: { id: authorizationId },
  body: fc.constant({}),
  emptyBodyValid: true,
  idempotencyKey: 'optional',
  credential: 'public',
});

const paymentProviderApis = apisOf('payment-provider', [
  { method: 'POST', route: '/v1/authorizations', body: providerAuthorize, idempotencyKey: 'optional', credential: 'public' },
  transition('capture'),
  transition('void'),
  transition('refund'),
  { method: 'GET', route: '/v1/authorizations', query: fc.record({ orderReference: text(1, 200) }), credential: 'public' },
  { method: 'GET', route: '/v1/authorizations/{id}', params: { id: authorizationId }, credential: 'public' },
  { method: 'GET', route: '/v1/requests/{idempotencyKey}', params: { idempotencyKey: text(1, 255) }, credential: 'public' },
  { method: 'PUT', route: '/admin/faults', body: harmlessFaults, credential: 'public', resetAfter: { method: 'DELETE', path: '/admin/faults' } },
]);

/**
 * Every route of the four services that takes a body, a path parameter or a query. Not here: the
 * routes that take nothing (/health, /ready, /metrics, /time, /docs, GET/DELETE /admin/faults,
 * /admin/stats) and the workshop-only PUT /admin/clock, which is not mounted outside workshop mode.
 * Tokens come from the identity provider, which is not one of the four.
 */
export const HTTP_APIS: readonly HttpApi[] = [...ordersApis, ...billingApis, ...notificationsApis, ...paymentProviderApis];

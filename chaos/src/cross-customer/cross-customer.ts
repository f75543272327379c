import { randomUUID } from 'node:crypto';
import { ACCESS_EXTENSION } from '@faultline/shared/access-control';
import { eventually } from '@faultline/shared/testing';
import type { Narrate } from '../chaos-report.js';
import type { ServiceName, SystemUnderTest } from '../bad-input/system-under-test.js';
import type { IdentityTrustingSystem } from './identity-tokens.js';

/** The services whose routes carry access rules; the payment provider stands in for an outside company. */
export const FAULTLINE_SERVICES: readonly ServiceName[] = ['orders', 'billing', 'notifications'];

/** How long customer A's order may take to reach billing's and notifications' copies. */
const PROPAGATION_MS = 60_000;

interface AccessRule {
  kind?: string;
  in?: 'path' | 'query' | 'body';
  name?: string;
  resource?: string;
  param?: string;
  callers?: string[];
  reason?: string;
}

/** One operation of a service's OpenAPI document, with the rule it declares. */
export interface DocumentedOperation {
  service: ServiceName;
  method: string;
  path: string;
  rule: AccessRule | undefined;
}

/** What one request of the walk got, against what the rule promises. */
export interface AccessCheck {
  operation: string;
  caller: string;
  status: number;
  expected: string;
  holds: boolean;
}

export interface CrossCustomerResult {
  operations: DocumentedOperation[];
  checks: AccessCheck[];
}

/** Every operation of every Faultline service, read from its `/docs-json` as an outside client would. */
export async function documentedOperations(system: SystemUnderTest): Promise<DocumentedOperation[]> {
  const operations: DocumentedOperation[] = [];
  for (const service of FAULTLINE_SERVICES) {
    const response = await fetch(system.url(service, '/docs-json'));
    if (!response.ok) throw new Error(`${service} /docs-json answered ${response.status}`);
    const document = (await response.json()) as { paths: Record<string, Record<string, Record<string, unknown>>> };
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        operations.push({ service, method: method.toUpperCase(), path, rule: operation[ACCESS_EXTENSION] as AccessRule | undefined });
      }
    }
  }
  return operations;
}

/**
 * Customers A and B sign up at the identity provider and sign in as people do; A places an order
 * and sets up a billing profile. Then B's token is sent against every operation whose rule protects
 * a customer's data, with A's customer id or A's order id in the place the rule reads, and must get
 * 403 (customer, operator and service rules) or 404 (owned resources). A's own token, and the
 * operator's and the orders service's where the rule names them, must get past the same rule — so a
 * rule that refuses everyone cannot pass for one that protects.
 */
export async function walkAsAnotherCustomer(system: IdentityTrustingSystem, narrate: Narrate): Promise<CrossCustomerResult> {
  const { customerId: alice, token: asAlice } = await system.tokens.signedInCustomer();
  const { customerId: bob, token: asBob } = await system.tokens.signedInCustomer();
  const send = async (service: ServiceName, method: string, path: string, token: string, body?: unknown) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(system.url(service, path), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    await response.body?.cancel();
    return response.status;
  };

  const placed = await fetch(system.url('orders', '/orders'), {
    method: 'POST',
    headers: { authorization: `Bearer ${asAlice}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify({ customerId: alice, currency: 'EUR', items: [{ sku: 'cross-customer', quantity: 1, unitPriceCents: 700 }] }),
  });
  if (placed.status !== 201) throw new Error(`customer A could not place an order: ${placed.status} ${await placed.text()}`);
  const { orderId } = (await placed.json()) as { orderId: string };
  const profile = await send('billing', 'PUT', `/customers/${alice}`, asAlice, { displayName: 'Customer A', timeZone: 'Europe/Paris' });
  if (profile !== 201) throw new Error(`customer A could not create a billing profile: ${profile}`);
  await eventually(async () => ((await send('billing', 'GET', `/orders/${orderId}`, asAlice)) === 200 ? true : undefined), {
    timeoutMs: PROPAGATION_MS,
    intervalMs: 250,
    what: "A's order in billing's copy",
  });
  await eventually(
    async () => {
      const response = await fetch(system.url('notifications', `/customers/${alice}/notifications?orderId=${orderId}`), {
        headers: { authorization: `Bearer ${asAlice}` },
      });
      return response.ok && ((await response.json()) as { items: unknown[] }).items.length > 0 ? true : undefined;
    },
    { timeoutMs: PROPAGATION_MS, intervalMs: 250, what: "A's order notification" },
  );
  narrate(`customer A ${alice.slice(0, 8)}… (signed up and signed in at the identity provider) placed order ${orderId.slice(0, 8)}…, seen by billing and notifications; customer B is ${bob.slice(0, 8)}…`);

  const operations = await documentedOperations(system);
  const checks: AccessCheck[] = [];
  const expect = (operation: DocumentedOperation, caller: string, status: number, expected: string, holds: boolean) =>
    checks.push({ operation: `${operation.service} ${operation.method} ${operation.path}`, caller, status, expected, holds });
  // Writes come last, so A's own cancellation (which does succeed) happens after every read of A's order.
  const ordered = [...operations].sort((a, b) => Number(a.method !== 'GET') - Number(b.method !== 'GET'));
  for (const operation of ordered) {
    const { rule } = operation;
    if (rule === undefined) {
      expect(operation, 'anyone', 0, `an ${ACCESS_EXTENSION} rule`, false);
      continue;
    }
    if (rule.kind === 'public') continue;
    const target = requestFor(operation, { customerId: alice, orderId });
    const call = (token: string) => send(operation.service, operation.method, target.path, token, target.body);
    switch (rule.kind) {
      case 'customer': {
        const status = await call(asBob);
        expect(operation, "customer B, naming A's customer id", status, '403', status === 403);
        // This rule refuses with 403 only, so a 404 to A is the route's (A has no contact preferences yet).
        const own = await call(asAlice);
        expect(operation, 'customer A, naming itself', own, 'past the rule', passedTheRule(own, { notFoundIsTheRoutes: true }));
        break;
      }
      case 'owner': {
        const status = await call(asBob);
        expect(operation, `customer B, naming A's ${rule.resource ?? 'resource'}`, status, '404', status === 404);
        const own = await call(asAlice);
        expect(operation, `customer A, naming its own ${rule.resource ?? 'resource'}`, own, 'past the rule', passedTheRule(own));
        break;
      }
      case 'operator': {
        const status = await call(asBob);
        expect(operation, 'customer B', status, '403', status === 403);
        const operator = await call(await system.tokens.operatorToken());
        expect(operation, 'an operator', operator, 'past the rule', passedTheRule(operator));
        break;
      }
      case 'service': {
        const user = await call(asBob);
        expect(operation, "customer B's user token", user, '401 or 403', user === 401 || user === 403);
        // The identity provider issues a token for a service's audience to the orders client alone;
        // another client's token (the operator's, for every service's API) must not get past either.
        const stranger = await call(await system.tokens.operatorToken());
        expect(operation, "another client's token (the operator's)", stranger, '401 or 403', stranger === 401 || stranger === 403);
        const caller = rule.callers?.[0] ?? 'orders';
        const callerToken = await system.tokens.serviceToken(caller, operation.service).catch((error: unknown) => error as Error);
        if (callerToken instanceof Error) {
          expect(operation, `the ${caller} service`, 0, `a token of ${caller}: ${callerToken.message}`, false);
          break;
        }
        const allowed = await call(callerToken);
        // A fresh payment id is unknown to billing: its 404 is the route's answer, past the rule.
        expect(operation, `the ${caller} service`, allowed, 'past the rule (no 401 or 403)', passedTheRule(allowed, { notFoundIsTheRoutes: true }));
        break;
      }
      default:
        expect(operation, 'anyone', 0, `a known rule kind, not ${String(rule.kind)}`, false);
    }
  }
  return { operations, checks };
}

/**
 * Past the access rule: answered by the route itself (2xx, or a 400 from its validation), not
 * refused. A 404 counts as a refusal unless the route's own lookup gives it for an id made up here.
 */
function passedTheRule(status: number, { notFoundIsTheRoutes = false } = {}): boolean {
  return status !== 401 && status !== 403 && (notFoundIsTheRoutes || status !== 404) && status < 500;
}

/**
 * The request that puts A's ids where the operation's rule reads them. Other path parameters get a
 * fresh UUID and bodies carry only the customer field: the rule runs before validation, so a
 * refusal cannot come from anything but the rule, and A's own call may answer 400 once past it.
 */
function requestFor(operation: DocumentedOperation, ids: { customerId: string; orderId: string }): { path: string; body?: unknown } {
  const { rule } = operation;
  const valueOf = (name: string): string => {
    if (rule?.kind === 'owner' && name === rule.param) return ids.orderId;
    if (rule?.kind === 'customer' && name === rule.name) return ids.customerId;
    return name === 'orderId' ? ids.orderId : randomUUID();
  };
  let path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => valueOf(name));
  if (rule?.kind === 'customer' && rule.in === 'query' && rule.name) path += `?${rule.name}=${ids.customerId}`;
  if (operation.method === 'GET') return { path };
  const body = rule?.kind === 'customer' && rule.in === 'body' && rule.name ? { [rule.name]: ids.customerId } : {};
  return { path, body };
}

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SystemUnderTest } from '../bad-input/system-under-test.js';
import { walkAsAnotherCustomer, type CrossCustomerResult } from './cross-customer.js';
import { IdentityProviderTokens, type IdentityTrustingSystem } from './identity-tokens.js';

/** Operations that must be among those walked: if the OpenAPI documents lost them, the walk would prove nothing. */
const MUST_BE_WALKED = [
  'orders POST /orders',
  'orders GET /orders/{id}',
  'orders POST /orders/{id}/cancel',
  'orders GET /customers/{customerId}/orders',
  'orders GET /customers/{customerId}/order-history',
  'billing PUT /customers/{id}',
  'billing GET /customers/{id}',
  'billing GET /orders/{id}',
  'billing GET /reports/customers/{customerId}/daily-orders',
  'billing GET /reports/daily-revenue',
  'billing GET /payments',
  'billing POST /payments/authorizations',
  'notifications GET /customers/{customerId}/notifications',
];

// Broken object-level authorization (OWASP API1), checked as an outside client would: the three
// Faultline services as processes on the real PostgreSQL and Kafka, trusting the real identity
// provider, their routes read from their OpenAPI documents, and the token customer B got by signing
// in sent at customer A's data on every one of them.
describe("customer B against customer A's data, on every documented route", () => {
  let system: IdentityTrustingSystem;
  let result: CrossCustomerResult;
  const narration: string[] = [];

  before(async () => {
    system = await SystemUnderTest.start((line) => narration.push(line), IdentityProviderTokens.start);
    result = await walkAsAnotherCustomer(system, (line) => narration.push(line));
  });
  after(() => system?.stop());

  it('finds an access rule on every operation of orders, billing and notifications', () => {
    const undeclared = result.operations.filter((operation) => operation.rule === undefined);
    assert.deepEqual(undeclared.map((o) => `${o.service} ${o.method} ${o.path}`), []);
  });

  it("refuses B on each of A's routes (403, or 404 for an owned resource) and lets the rightful caller past the same rule", () => {
    const walked = new Set(result.checks.map((check) => check.operation));
    assert.deepEqual(MUST_BE_WALKED.filter((operation) => !walked.has(operation)), [], 'operations missing from the walk');
    for (const check of result.checks) console.log(`${check.holds ? '✓' : '✗'} ${check.operation} as ${check.caller} → ${check.status} (expected ${check.expected})`);
    const broken = result.checks.filter((check) => !check.holds);
    assert.deepEqual(broken, [], `narration:\n${narration.join('\n')}`);
  });
});

// End to end on the real system: the identity provider, orders (with its fulfilment saga on
// Temporal), billing, notifications and the payment provider run as processes (node
// apps/<app>/dist/main.js) with tracing on, exporting to the real Jaeger. One order is placed with a
// traceparent of the test's own, as any traced client sends it; once the order is paid and its
// e-mail sent, Jaeger's query API must hold ONE trace, under that id, with the spans of every hop.
// The hops after the HTTP request reach the trace only through the trace context stored in the
// outbox row, the Kafka headers, Temporal's headers and the delivery outbox: drop one and the
// spans after it start traces of their own, missing here.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { Customer } from '../identity.js';
import { startTracedSystem, systemPorts, type TracedSystem } from '../traced-system.js';
import { jaegerTrace, spansOf, type TraceSpan } from './jaeger-traces.js';

const env = systemPorts();

/** Paid within this: the saga's steps and billing's calls, on a busy 2-core machine. */
const PAID_TIMEOUT_MS = 60_000;
/** Every hop's spans in Jaeger within this after the order is paid: the e-mail and the last batch exports. */
const TRACE_COMPLETE_TIMEOUT_MS = 45_000;

/**
 * The spans one order's trace must hold: the service that emits each, and what it is. Matched on the
 * service name and the span's name (or an attribute where the name is generic).
 */
const EXPECTED_HOPS: readonly { hop: string; service: string; matches: (span: TraceSpan) => boolean }[] = [
  { hop: 'orders: the HTTP request', service: 'orders', matches: (s) => s.kind === 'server' && /^POST( \/orders)?$/.test(s.name) },
  { hop: 'orders: the outbox INSERT', service: 'orders', matches: (s) => /INSERT INTO\s+"?(\w+"?\.)?"?outbox\b/i.test(String(s.tags['db.query.text'] ?? '')) },
  { hop: 'orders: the event store append', service: 'orders', matches: (s) => s.name.startsWith('pg.query:event-store-append') },
  { hop: 'orders: the relay publishing the event', service: 'orders', matches: (s) => s.kind === 'producer' && s.name.endsWith(' publish') },
  { hop: "orders: the saga's starter consuming it", service: 'orders', matches: (s) => s.kind === 'consumer' && s.name.endsWith(' process') },
  { hop: 'orders: the workflow started', service: 'orders', matches: (s) => s.name.startsWith('StartWorkflow:') },
  { hop: 'orders: the workflow run', service: 'orders', matches: (s) => s.name.startsWith('RunWorkflow:') },
  { hop: 'orders: an activity run', service: 'orders', matches: (s) => s.name.startsWith('RunActivity:') },
  { hop: 'billing: consuming the order event', service: 'billing', matches: (s) => s.kind === 'consumer' && s.name.endsWith(' process') },
  { hop: 'billing: its payments API', service: 'billing', matches: (s) => s.kind === 'server' && /payments/.test(String(s.tags['http.route'] ?? s.tags['url.path'] ?? s.name)) },
  { hop: 'payment provider: the authorization', service: 'payment-provider', matches: (s) => s.kind === 'server' },
  { hop: 'notifications: consuming an event', service: 'notifications', matches: (s) => s.kind === 'consumer' && s.name.endsWith(' process') },
  { hop: 'notifications: the SMTP send', service: 'notifications', matches: (s) => s.name === 'smtp send' },
];

describe('one trace per order (OpenTelemetry → Jaeger)', () => {
  let system: TracedSystem | undefined;

  before(async () => {
    system = await startTracedSystem('tracing');
  });

  after(async () => {
    await system?.stop();
  });

  it('follows a paid order in one trace: HTTP, outbox, relay, Kafka, the saga and its activities, billing, the provider, notifications and SMTP', async () => {
    assert.ok(system, 'the system did not start');
    const { identity, orders } = system;
    const customer = await identity.newCustomer();
    // An address to write to, and no quiet hours: the paid order's e-mail goes out at once.
    const preferences = await customer.fetch(`http://127.0.0.1:${env.NOTIFICATIONS_HTTP_PORT}/customers/${customer.customerId}/contact-preferences`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `tracing-${customer.customerId}@example.com`, timeZone: 'UTC' }),
    });
    assert.equal(preferences.status, 201, await preferences.text());
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const orderId = await placeOrder(orders.url, customer, `00-${traceId}-${callerSpanId}-01`);
    await awaitPaid(orders.url, customer, orderId);

    const deadline = performance.now() + TRACE_COMPLETE_TIMEOUT_MS;
    let missing: string[] = EXPECTED_HOPS.map((hop) => hop.hop);
    let spans: TraceSpan[] = [];
    while (missing.length && performance.now() < deadline) {
      const trace = await jaegerTrace(env.JAEGER_QUERY_HTTP_PORT, traceId);
      spans = trace ? spansOf(trace) : [];
      missing = EXPECTED_HOPS.filter((hop) => !spans.some((span) => span.service === hop.service && hop.matches(span))).map((hop) => hop.hop);
      if (missing.length) await sleep(500);
    }
    const seen = [...new Set(spans.map((span) => `${span.service}: ${span.name}`))].sort();
    assert.deepEqual(missing, [], `trace ${traceId} lacks these hops; it holds ${spans.length} spans:\n  ${seen.join('\n  ')}`);
    // Every span hangs off the request: the one span whose parent is not in the trace is orders'
    // server span, whose parent is the test's own (never exported) span.
    const ids = new Set(spans.map((span) => span.spanId));
    const roots = spans.filter((span) => span.parentId === undefined || !ids.has(span.parentId));
    assert.deepEqual(
      roots.map((span) => ({ service: span.service, kind: span.kind, parentId: span.parentId })),
      [{ service: 'orders', kind: 'server', parentId: callerSpanId }],
    );
  });
});

async function placeOrder(ordersUrl: string, customer: Customer, traceparent: string): Promise<string> {
  const response = await customer.fetch(`${ordersUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), traceparent },
    body: JSON.stringify({ customerId: customer.customerId, currency: 'EUR', items: [{ sku: 'book', quantity: 1, unitPriceCents: 2_400 }] }),
  });
  if (response.status !== 201) throw new Error(`POST /orders answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { orderId: string }).orderId;
}

async function awaitPaid(ordersUrl: string, customer: Customer, orderId: string): Promise<void> {
  const deadline = performance.now() + PAID_TIMEOUT_MS;
  let status = 'unknown';
  while (performance.now() < deadline) {
    const response = await customer.fetch(`${ordersUrl}/orders/${orderId}`);
    if (response.ok) status = ((await response.json()) as { status: string }).status;
    if (status === 'paid') return;
    await sleep(250);
  }
  throw new Error(`order ${orderId} was still "${status}" after ${PAID_TIMEOUT_MS / 1_000} s: see .faultline/logs/tracing-orders.log`);
}

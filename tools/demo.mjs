#!/usr/bin/env node
// `npm run demo`: bring the infrastructure up, start the identity provider, the services and the
// payment provider simulator, sign in as the demo customer, place one order through orders' HTTP API,
// and show it flow: the stored row in orders' own database, the event on Kafka, the consumers'
// effects, and the OrderFulfilment saga taking the payment.
// Runs after tools/bootstrap.mjs has installed the dependencies.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { readCommandLine } from './command-line.mjs';
import { emailsFor, mailbox, showEmails } from './demo/maildev-inbox.mjs';
import { orderEventOnKafka } from './demo/order-event-on-kafka.mjs';
import { awaitTrace, newTraceparent, traceTree } from './demo/order-trace.mjs';
import { tracePage } from './demo/trace-page.mjs';
import { pollJson } from './demo/poll-json.mjs';
import { runScenarios } from './demo/run-scenarios.mjs';
import { env, logs, provisionAndBuild, startServices, stopStarted, whereToLook } from './local-services.mjs';

readCommandLine({
  invocation: 'npm run demo --',
  usage: `usage: npm run demo

Installs the dependencies if needed, brings the infrastructure up, builds, starts the identity
provider, the services and the payment provider simulator, signs in as the demo customer, places
one order and shows it flow: the stored row, the event on Kafka, the consumers' effects, the saga
taking the payment, the e-mails. Then it stops its services and runs every scenario, naive then
correct (about 6 minutes once the infrastructure is built). Takes no arguments.

options:
  -h, --help    print this text

environment:
  FAULTLINE_INFRA=external   use the infrastructure already running (docker compose) instead of provisioning it

example:
  npm run demo    # installs, brings the infrastructure up, starts the services, places one order, shows it flow`,
});

let running = [];

async function main() {
  provisionAndBuild();

  console.log('\n▶ services');
  // The saga fulfils the orders the demo places, not every order earlier test runs left on the topic
  // (a deployment that adds the saga later sets the same cut-over, article 6's page explains it).
  const demoStarted = new Date().toISOString();
  running = await startServices({ environmentOf: (name) => (name === 'orders' ? { ORDERS_FULFILMENT_PLACED_SINCE: demoStarted } : {}) });
  console.log(`\n▶ the console: http://127.0.0.1:${env.CONSOLE_HTTP_PORT} (open it now to watch the order below flow, live)`);

  // Built by the step above, so imported only now: the sign-in helpers play a browser and a CLI.
  const { CLI_CLIENT_ID, CLI_REDIRECT_URI, DEMO_ACCOUNTS, discover, userToken } = await import('@faultline/identity/testing');
  const identityUrl = `http://127.0.0.1:${env.IDENTITY_HTTP_PORT}`;
  const [alice, bob] = DEMO_ACCOUNTS;
  const endpoints = await discover(identityUrl);
  console.log(`\n▶ signing in as ${alice.email} at identity (authorization code + PKCE)…`);
  console.log(`  client ${CLI_CLIENT_ID}: ${endpoints.authorization_endpoint} → the login form (e-mail, password) → a code on the redirect to ${CLI_REDIRECT_URI} → ${endpoints.token_endpoint}`);
  const accessToken = await userToken(identityUrl, alice);
  const [tokenHeader, tokenClaims] = accessToken.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
  const customerId = tokenClaims.sub;
  console.log(`  an access token: ${accessToken.slice(0, 40)}… (expires in ${tokenClaims.exp - tokenClaims.iat} s); the customer is ${alice.email}'s account, ${customerId}`);
  console.log(indent(JSON.stringify({ header: tokenHeader, claims: tokenClaims }, null, 2)));
  console.log(`  every call below sends it as Authorization: Bearer; every service checks it against the keys at ${endpoints.jwks_uri}`);
  const authorization = { authorization: `Bearer ${accessToken}` };

  console.log(`\n▶ ${alice.email}'s contact preferences at notifications: PUT /customers/${customerId}/contact-preferences`);
  const preferences = await fetch(`http://127.0.0.1:${env.NOTIFICATIONS_HTTP_PORT}/customers/${customerId}/contact-preferences`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...authorization },
    // No quiet hours, so the acknowledgement goes at once; with them it would wait for their end (article 9).
    body: JSON.stringify({ email: alice.email, timeZone: 'Europe/Berlin', quietHours: null }),
  });
  if (!preferences.ok) throw new Error(`notifications refused the contact preferences: HTTP ${preferences.status} ${await preferences.text()}`);
  console.log(`  HTTP ${preferences.status}: e-mail to ${alice.email}, zone Europe/Berlin, no quiet hours`);

  // The demo is a traced client: its traceparent makes the order's trace one whose id it knows.
  const { traceId, traceparent } = newTraceparent();
  console.log(`\n▶ placing one order: POST /orders (traceparent ${traceparent})`);
  const body = {
    customerId,
    currency: 'EUR',
    items: [
      { sku: 'BOOK-DDIA', quantity: 1, unitPriceCents: 4_200 },
      { sku: 'MUG-FAULTLINE', quantity: 2, unitPriceCents: 1_250 },
    ],
  };
  const response = await fetch(`http://127.0.0.1:${env.ORDERS_HTTP_PORT}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), traceparent, ...authorization },
    body: JSON.stringify(body),
  });
  const placed = await response.json();
  console.log(`  HTTP ${response.status} ${response.headers.get('location') ?? ''}`);
  console.log(indent(JSON.stringify(placed, null, 2)));
  if (response.status !== 201) throw new Error('the order was not placed');

  console.log(`\n▶ the order as stored in orders' own database (${env.ORDERS_DB_NAME}, role ${env.ORDERS_DB_USER})`);
  const db = new pg.Client({
    host: '127.0.0.1',
    port: Number(env.PG_PRIMARY_PORT),
    database: env.ORDERS_DB_NAME,
    user: env.ORDERS_DB_USER,
    password: env.ORDERS_DB_PASSWORD,
  });
  await db.connect();
  const { rows } = await db.query('select id, customer_id, status, total_cents, currency, version, placed_at from orders where id = $1', [
    placed.orderId,
  ]);
  await db.end();
  console.table(rows);

  console.log('\n▶ the event on Kafka (published by the outbox relay)');
  const event = await orderEventOnKafka(placed.orderId);
  console.log(`  topic ${event.topic}, partition ${event.partition}, offset ${event.offset}, key ${event.key}`);
  console.log(indent(JSON.stringify(JSON.parse(event.value), null, 2)));

  console.log('\n▶ the consumers applied it: billing keeps its own copy, notifications records the e-mail it owes');
  const billingCopy = await pollJson(`http://127.0.0.1:${env.BILLING_HTTP_PORT}/orders/${placed.orderId}`, (body) => body.orderId, authorization);
  console.log(`  billing       GET /orders/${placed.orderId} → ${billingCopy.status}, version ${billingCopy.version}, total ${billingCopy.total.amountMinor} ${billingCopy.total.currency}`);
  const notifications = await pollJson(
    `http://127.0.0.1:${env.NOTIFICATIONS_HTTP_PORT}/customers/${customerId}/notifications?orderId=${placed.orderId}`,
    (body) => body.items?.length > 0,
    authorization,
  );
  for (const n of notifications.items) console.log(`  notifications ${n.kind} e-mail ${n.status}, due ${n.dueAt}`);

  console.log(`\n▶ the OrderFulfilment saga (Temporal workflow order-${placed.orderId}): authorize → confirm → capture → paid`);
  const paid = await pollJson(`http://127.0.0.1:${env.ORDERS_HTTP_PORT}/orders/${placed.orderId}`, (body) => ['paid', 'rejected'].includes(body.status), authorization);
  console.log(`  orders           GET /orders/${placed.orderId} → ${paid.status}, version ${paid.version}`);
  // Billing's payments take SERVICE tokens only (the saga's, aud billing): the user token is refused.
  const paymentsAnswer = await fetch(`http://127.0.0.1:${env.BILLING_HTTP_PORT}/payments?orderId=${placed.orderId}`, { headers: authorization });
  if (paymentsAnswer.ok) {
    for (const p of (await paymentsAnswer.json()).items) console.log(`  billing          payment ${p.paymentId} ${p.status}, ${p.amountMinor} ${p.currency}`);
  } else {
    console.log(`  billing          GET /payments with the user token → ${paymentsAnswer.status} (payments take service tokens only: orders' own, aud billing, from identity's client credentials grant)`);
  }
  const charges = await pollJson(
    `http://127.0.0.1:${env.PAYMENT_PROVIDER_HTTP_PORT}/v1/authorizations?orderReference=${placed.orderId}`,
    (body) => body.items?.length > 0,
  );
  for (const c of charges.items) console.log(`  payment provider ${c.id} ${c.status}, ${c.amountMinor} ${c.currency} (charges for this order: ${charges.items.length})`);
  console.log(`  the workflow's history: http://127.0.0.1:${env.TEMPORAL_UI_PORT}/namespaces/${env.TEMPORAL_NAMESPACE}/workflows/order-${placed.orderId}`);

  console.log(`\n▶ the e-mails MailDev received for the order (SMTP from notifications' delivery outbox; ${mailbox.web})`);
  const expectedMail = paid.status === 'paid' ? ['We have your order', 'Receipt for order'] : ['We have your order', 'could not be completed'];
  showEmails(await emailsFor(placed.orderId, alice.email, expectedMail));

  const jaeger = `http://127.0.0.1:${env.JAEGER_QUERY_HTTP_PORT}`;
  console.log(`\n▶ the order's trace: ${jaeger}/api/traces/${traceId} (one trace, from the request to the e-mail)`);
  const spans = await awaitTrace(jaeger, traceId, 'smtp send');
  console.log(`  ${spans.length} spans from ${[...new Set(spans.map((span) => span.service))].join(', ')}; SQL statements folded:`);
  console.log(indent(traceTree(spans).join('\n')));
  const page = join(logs, '..', 'traces', `${traceId}.html`);
  mkdirSync(dirname(page), { recursive: true });
  writeFileSync(page, tracePage(traceId, spans));
  console.log(`  as a waterfall in a browser: file://${page}; with docker compose, Jaeger's UI: ${jaeger}/trace/${traceId}`);

  if (paid.status === 'paid') {
    console.log(`\n▶ cancelling the paid order: POST /orders/${placed.orderId}/cancel → a refund`);
    const cancel = await fetch(`http://127.0.0.1:${env.ORDERS_HTTP_PORT}/orders/${placed.orderId}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...authorization },
      body: JSON.stringify({ reason: 'the demo changed its mind' }),
    });
    const cancelled = await cancel.json();
    console.log(`  HTTP ${cancel.status} ${JSON.stringify(cancelled)}`);
    if (!cancel.ok) throw new Error('the paid order was not cancelled');
    const refunded = await pollJson(`http://127.0.0.1:${env.ORDERS_HTTP_PORT}/orders/${placed.orderId}`, (body) => body.status === 'refunded', authorization);
    console.log(`  orders           GET /orders/${placed.orderId} → ${refunded.status}, version ${refunded.version} (workflow order-refund-${placed.orderId})`);
    const refundedCharges = await pollJson(
      `http://127.0.0.1:${env.PAYMENT_PROVIDER_HTTP_PORT}/v1/authorizations?orderReference=${placed.orderId}`,
      (body) => body.items?.some((charge) => charge.status === 'refunded'),
    );
    for (const c of refundedCharges.items) console.log(`  payment provider ${c.id} ${c.status}, ${c.amountMinor} ${c.currency}`);
    showEmails(await emailsFor(placed.orderId, alice.email, ['is cancelled', 'Your refund for order']));
  }

  console.log(`\n▶ another customer's token on ${alice.email}'s data (object-level authorization): signing in as ${bob.email}…`);
  const intruder = { authorization: `Bearer ${await userToken(identityUrl, bob)}` };
  const foreignRead = await fetch(`http://127.0.0.1:${env.ORDERS_HTTP_PORT}/orders/${placed.orderId}`, { headers: intruder });
  console.log(`  orders           GET /orders/${placed.orderId} → ${foreignRead.status} (the same answer as for an order that does not exist)`);
  const foreignList = await fetch(`http://127.0.0.1:${env.ORDERS_HTTP_PORT}/customers/${customerId}/orders`, { headers: intruder });
  console.log(`  orders           GET /customers/${customerId}/orders → ${foreignList.status} (${(await foreignList.json()).detail})`);

}

function indent(text) {
  return text.replace(/^/gm, '  ');
}

try {
  await main();
  await stopStarted(running);
  runScenarios();
  console.log(`
✓ demo complete. The scenarios start services of their own, so the demo's services are stopped now;
  the infrastructure is still running (npm run infra:down stops it). \`npm start\` brings every
  service up again and keeps it running, for these:
${whereToLook()}`);
} catch (error) {
  console.error(`\n✗ ${error.message}`);
  await stopStarted(running);
  process.exit(1);
}

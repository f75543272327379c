import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { startService, type RunningService } from '@faultline/shared/service-defaults';
import {
  bearerFetch,
  expectProblem,
  itBehavesLikeAFaultlineService,
  requireReachable,
  startTestIssuer,
  type TestIssuer,
  idleTestConsumer,
} from '@faultline/shared/testing';
import { AppModule } from './app.module.js';
import { loadNotificationsSettings } from './config.js';
import { Notification } from './entities/index.js';

const env = readFaultlineEnvironment();

// The real AppModule on an ephemeral port, against the real PostgreSQL and Kafka through Toxiproxy.
describe('notifications service', () => {
  let service: RunningService;
  // A real issuer of its own (issuer.environment): tokens verify as the identity provider's do, without it running (article 2).
  let issuer: TestIssuer;
  const customerId = randomUUID();
  const api = bearerFetch(() => issuer.userToken(customerId));
  const url = (path: string) => `${service.url}${path}`;

  before(async () => {
    await requireReachable('PostgreSQL for notifications (through Toxiproxy)', Number(env.TOXIPROXY_NOTIFICATIONS_PG_PORT));
    await requireReachable('Kafka (through Toxiproxy)', Number(env.TOXIPROXY_KAFKA_PORT));
    issuer = await startTestIssuer();
    const settings = loadNotificationsSettings({ ...env, LOG_LEVEL: 'error', ...issuer.environment });
    settings.http.port = 0;
    settings.orderEvents = idleTestConsumer(settings.orderEvents);
    settings.paymentEvents = idleTestConsumer(settings.paymentEvents);
    service = await startService(settings, AppModule.forRoot(settings));
  });
  after(async () => {
    await service?.app.close();
    await issuer?.stop();
  });

  itBehavesLikeAFaultlineService({ baseUrl: () => service.url, documentedPaths: ['/customers/{customerId}/notifications', '/customers/{customerId}/contact-preferences', '/metrics'], accessRules: true });

  it("lists one order's notifications, oldest first, and none of another order's or another customer's", async () => {
    const orderId = randomUUID();
    const notifications = service.app.get(DataSource).getRepository(Notification);
    const row = (createdAt: string, order = orderId, customer = customerId): Notification =>
      Object.assign(new Notification(), {
        id: randomUUID(),
        eventId: randomUUID(),
        orderId: order,
        customerId: customer,
        kind: 'order-placed',
        channel: 'email',
        // Sent already, so the service's sender leaves these rows alone.
        status: 'sent',
        content: null,
        recipient: 'customer@example.com',
        dueAt: new Date('2026-03-08T09:00:00Z'),
        nextAttemptAt: null,
        sentAt: new Date('2026-03-08T09:00:01Z'),
        attemptCount: 1,
        createdAt: new Date(createdAt),
      });
    const later = row('2026-03-08T08:00:02Z');
    const earlier = row('2026-03-08T08:00:01Z');
    const anotherOrder = row('2026-03-08T08:00:00Z', randomUUID());
    // The same order id under another customer: a row of theirs is never listed to this one.
    const anotherCustomers = row('2026-03-08T08:00:03Z', orderId, randomUUID());
    await notifications.insert([later, earlier, anotherOrder, anotherCustomers]);

    const response = await api(url(`/customers/${customerId}/notifications?orderId=${orderId}`));
    assert.equal(response.status, 200);
    const { items } = (await response.json()) as { items: { notificationId: string; dueAt: string; messageId: string; status: string }[] };
    assert.deepEqual(items.map((n) => n.notificationId), [earlier.id, later.id]);
    assert.equal(items[0]?.dueAt, '2026-03-08T09:00:00.000Z');
    assert.equal(items[0]?.messageId, `<${earlier.eventId}@notifications.faultline>`);
    assert.equal(items[0]?.status, 'sent');

    const all = (await (await api(url(`/customers/${customerId}/notifications`))).json()) as { items: { notificationId: string }[] };
    assert.deepEqual(all.items.map((n) => n.notificationId), [anotherOrder.id, earlier.id, later.id]);
  });

  it('answers an empty list for an order it has not notified about', async () => {
    const response = await api(url(`/customers/${customerId}/notifications?orderId=${randomUUID()}`));
    assert.deepEqual(await response.json(), { items: [] });
  });

  it("answers 403 to a customer's token for another customer's notifications", async () => {
    const problem = await expectProblem(await api(url(`/customers/${randomUUID()}/notifications`)), 403);
    assert.equal(problem.type, 'urn:faultline:problem:access-denied');
  });

  it('answers 400 naming the query parameter when orderId is not a UUID', async () => {
    const problem = await expectProblem(await api(url(`/customers/${customerId}/notifications?orderId=42`)), 400);
    assert.deepEqual(problem.errors?.map((e) => `${e.in}:${e.path}`), ['query:orderId']);
  });

  describe('contact preferences', () => {
    const preferences = (customer: string) => url(`/customers/${customer}/contact-preferences`);
    const put = (customer: string, body: unknown) =>
      api(preferences(customer), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    it('answers 404 before the customer has set any, creates them with 201, replaces them with 200, and reads them back', async () => {
      const owner = randomUUID();
      const asOwner = bearerFetch(() => issuer.userToken(owner));
      const send = (body: unknown) =>
        asOwner(preferences(owner), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await expectProblem(await asOwner(preferences(owner)), 404);
      const created = await send({ email: 'ada@example.com', timeZone: 'Europe/London', quietHours: { start: '22:00', end: '07:00' } });
      assert.equal(created.status, 201, await created.clone().text());
      assert.equal(created.headers.get('location'), `/customers/${owner}/contact-preferences`);
      const replaced = await send({ email: 'ada@example.org', timeZone: 'Asia/Tokyo' });
      assert.equal(replaced.status, 200);
      const read = (await (await asOwner(preferences(owner))).json()) as Record<string, unknown>;
      assert.deepEqual({ ...read, updatedAt: undefined }, {
        customerId: owner,
        email: 'ada@example.org',
        timeZone: 'Asia/Tokyo',
        quietHours: null,
        updatedAt: undefined,
      });
    });

    it("answers 403 to a customer's token for another customer's preferences, both ways", async () => {
      const other = randomUUID();
      const problem = await expectProblem(await put(other, { email: 'mallory@example.com', timeZone: 'UTC' }), 403);
      assert.equal(problem.type, 'urn:faultline:problem:access-denied');
      await expectProblem(await api(preferences(other)), 403);
    });

    it('answers 400 naming each bad field: an address, an offset for a zone, quiet hours that are not HH:MM or are empty', async () => {
      const problem = await expectProblem(
        await put(customerId, { email: 'not-an-address', timeZone: '+01:00', quietHours: { start: '7:00', end: '24:00' } }),
        400,
      );
      assert.deepEqual(problem.errors?.map((e) => `${e.in}:${e.path}`).sort(), [
        'body:email',
        'body:quietHours.end',
        'body:quietHours.start',
        'body:timeZone',
      ]);
      const empty = await expectProblem(await put(customerId, { email: 'ada@example.com', timeZone: 'UTC', quietHours: { start: '22:00', end: '22:00' } }), 400);
      assert.deepEqual(empty.errors?.map((e) => `${e.in}:${e.path}`), ['body:quietHours.end']);
    });
  });
});

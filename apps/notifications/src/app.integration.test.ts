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
    service = await startService(settings, AppModule.forRoot(settings));
  });
  after(async () => {
    await service?.app.close();
    await issuer?.stop();
  });

  itBehavesLikeAFaultlineService({ baseUrl: () => service.url, documentedPaths: ['/customers/{customerId}/notifications', '/metrics'], accessRules: true });

  it("lists one order's notifications, oldest first, and none of another order's or another customer's", async () => {
    const orderId = randomUUID();
    const notifications = service.app.get(DataSource).getRepository(Notification);
    const row = (createdAt: string, order = orderId, customer = customerId): Notification =>
      Object.assign(new Notification(), {
        id: randomUUID(),
        orderId: order,
        customerId: customer,
        channel: 'email',
        status: 'due',
        dueAt: new Date('2026-03-08T09:00:00Z'),
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
    const { items } = (await response.json()) as { items: { notificationId: string; dueAt: string }[] };
    assert.deepEqual(items.map((n) => n.notificationId), [earlier.id, later.id]);
    assert.equal(items[0]?.dueAt, '2026-03-08T09:00:00.000Z');

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
});

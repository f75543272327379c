import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { SystemClock } from '@faultline/shared/clock';
import { dataSourceOptions } from '@faultline/shared/database';
import { requireReachable } from '@faultline/shared/testing';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { loadBillingSettings } from '../config.js';
import { entities } from '../entities/index.js';
import { migrations } from '../migrations/index.js';
import { PaymentLedger } from './payment-ledger.js';
import { PaymentRequestLog, type PaymentRequestClaim } from './payment-request-log.js';
import { Payment } from './payment.entity.js';

const env = readFaultlineEnvironment();

// Billing's real database, straight on the primary (not through Toxiproxy, which other tests cut).
describe('PaymentRequestLog and PaymentLedger on PostgreSQL', () => {
  let dataSource: DataSource;
  let log: PaymentRequestLog;
  let ledger: PaymentLedger;

  before(async () => {
    const port = Number(env.PG_PRIMARY_PORT);
    await requireReachable('PostgreSQL primary', port);
    const { database } = loadBillingSettings(env);
    dataSource = new DataSource(dataSourceOptions('billing', { ...database, port }, { entities, migrations }));
    await dataSource.initialize();
    log = new PaymentRequestLog(dataSource, new SystemClock());
    ledger = new PaymentLedger(dataSource);
  });
  after(() => dataSource?.destroy());

  const aClaim = (): PaymentRequestClaim => {
    const idempotencyKey = randomUUID();
    return { idempotencyKey, operation: 'authorize', requestHash: 'h1', providerIdempotencyKey: `billing:authorize:${idempotencyKey}`, paymentId: null };
  };
  const inFlight = { requestHash: 'h1', outcome: 'in-flight', responseStatus: null, responseBody: null };
  const lockInItsOwnTransaction = (key: string, waitMs: number) =>
    dataSource.transaction((transaction) => log.lock(transaction, key, waitMs));

  it('claims a key once: a second claim gets the in-flight record back', async () => {
    const claim = aClaim();
    assert.deepEqual(await log.claim(claim), { claimed: true });
    assert.deepEqual(await log.claim(claim), { claimed: false, record: inFlight });
  });

  it('lets one request hold a key while it calls the provider; another one gives up after its wait, then sees the outcome', async () => {
    const claim = aClaim();
    await log.claim(claim);
    let busy: unknown;
    await dataSource.transaction(async (transaction) => {
      assert.deepEqual(await log.lock(transaction, claim.idempotencyKey, 1_000), inFlight);
      busy = await lockInItsOwnTransaction(claim.idempotencyKey, 200);
      await log.complete(transaction, claim.idempotencyKey, { outcome: 'failed', responseStatus: 402, responseBody: { status: 402 }, paymentId: null });
    });
    assert.equal(busy, 'busy');
    const later = await lockInItsOwnTransaction(claim.idempotencyKey, 200);
    assert.deepEqual(later, { requestHash: 'h1', outcome: 'failed', responseStatus: 402, responseBody: { status: 402 } });
  });

  it('releases an in-flight claim refused before the provider was called, but never a finished one', async () => {
    const refused = aClaim();
    await log.claim(refused);
    await dataSource.transaction((transaction) => log.release(transaction, refused.idempotencyKey));
    assert.equal(await log.find(refused.idempotencyKey), null);

    const finished = aClaim();
    await log.claim(finished);
    await dataSource.transaction(async (transaction) => {
      await log.complete(transaction, finished.idempotencyKey, { outcome: 'succeeded', responseStatus: 201, responseBody: {}, paymentId: randomUUID() });
      await log.release(transaction, finished.idempotencyKey);
    });
    assert.equal((await log.find(finished.idempotencyKey))?.outcome, 'succeeded');
  });

  it('refuses, in the table itself, a finished request without its response and a second payment for one authorization', async () => {
    const claim = aClaim();
    await log.claim(claim);
    await assert.rejects(
      dataSource.query(`UPDATE payment_requests SET outcome = 'succeeded' WHERE idempotency_key = $1`, [claim.idempotencyKey]),
      /violates check constraint/,
    );
    const providerAuthorizationId = `auth_${randomUUID()}`;
    const payment = () =>
      Object.assign(new Payment(), {
        paymentId: randomUUID(),
        orderId: randomUUID(),
        customerId: randomUUID(),
        amountMinor: 1_250,
        currency: 'EUR',
        status: 'authorized',
        providerAuthorizationId,
        createdAt: new Date(),
        updatedAt: new Date(),
      });
    const first = payment();
    await dataSource.transaction((transaction) => ledger.record(transaction, first));
    await assert.rejects(dataSource.transaction((transaction) => ledger.record(transaction, payment())), /duplicate key/);
    assert.deepEqual((await ledger.listForOrder(first.orderId)).map((p) => p.amountMinor), [1_250]);
  });
});

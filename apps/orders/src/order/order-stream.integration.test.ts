import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DataSource, type EntityManager } from 'typeorm';
import { ORDER_AGGREGATE, ORDER_PLACED, orderPlaced, orderPlacedV1 } from '@faultline/shared/contracts';
import { ConcurrencyConflictError, EventStore, type EventToAppend } from '@faultline/shared/event-store';
import type { RunningService } from '@faultline/shared/service-defaults';
import { eventually } from '@faultline/shared/testing';
import { startOrdersDirectly } from '../testing/orders-under-test.js';
import { orderDecider } from './order-decider.js';

// The event store on the orders database's real `events` table, with streams of a test-only type.
describe('event store', () => {
  let service: RunningService;
  let dataSource: DataSource;
  let store: EventStore;
  const stream = () => ({ type: 'event-store-test', id: `test-${randomUUID()}` });
  const event = (note: string): EventToAppend => ({
    eventId: randomUUID(),
    type: 'test.stream.noted',
    schemaVersion: 1,
    payload: { note },
    metadata: { correlationId: 'test', causationId: 'test', producer: { name: 'orders', version: 'test' } },
    occurredAt: new Date('2026-11-28T18:00:00.000Z'),
  });

  before(async () => {
    service = await startOrdersDirectly();
    dataSource = service.app.get(DataSource);
    store = service.app.get(EventStore);
  });
  after(() => service?.app.close());

  it('appends events as consecutive versions and reads them back in order', async () => {
    const ref = stream();
    await dataSource.transaction((tx) => store.append(tx, ref, 0, [event('a'), event('b')]));
    await dataSource.transaction((tx) => store.append(tx, ref, 2, [event('c')]));
    const events = await store.readStream(dataSource.manager, ref.id);
    assert.deepEqual(
      events.map((e) => [e.version, e.payload]),
      [
        [1, { note: 'a' }],
        [2, { note: 'b' }],
        [3, { note: 'c' }],
      ],
    );
  });

  it("keeps a stream's versions in commit order when an older transaction appends after a younger one committed", async () => {
    const ref = stream();
    const older = dataSource.createQueryRunner();
    try {
      await older.connect();
      await older.startTransaction();
      await older.query('SELECT pg_current_xact_id()');
      await dataSource.transaction((tx) => store.append(tx, ref, 0, [event('younger transaction, version 1')]));
      await store.append(older.manager, ref, 1, [event('older transaction, version 2')]);
      await older.commitTransaction();
    } finally {
      if (older.isTransactionActive) await older.rollbackTransaction();
      await older.release();
    }
    const inCommitOrder = (await dataSource.query(`SELECT version FROM events WHERE stream_id = $1 ORDER BY commit_order, position`, [
      ref.id,
    ])) as { version: number }[];
    assert.deepEqual(
      inCommitOrder.map((row) => row.version),
      [1, 2],
    );
  });

  it('rebuilds an order from a stream written at orders.order.placed v1, upcasting it to v2', async () => {
    const ref = { type: ORDER_AGGREGATE, id: randomUUID() };
    const v1 = { ...orderPlacedV1.parse(orderPlaced.versions[0]?.example), orderId: ref.id };
    await dataSource.transaction((tx) => store.append(tx, ref, 0, [{ ...event('unused'), type: ORDER_PLACED, payload: v1 }]));
    const { state, version } = await store.aggregate(dataSource.manager, orderDecider, ref.id);
    assert.equal(version, 1);
    assert.ok(state.status === 'placed', `expected a placed order, got ${state.status}`);
    assert.deepEqual(state.total, { amountMinor: v1.totalCents, currency: v1.currency });
  });

  it('refuses an append at a stale or future expected version, naming the stream and both versions', async () => {
    const ref = stream();
    await dataSource.transaction((tx) => store.append(tx, ref, 0, [event('a')]));
    for (const expected of [0, 5]) {
      await assert.rejects(
        dataSource.transaction((tx) => store.append(tx, ref, expected, [event('late')])),
        (error: unknown) =>
          error instanceof ConcurrencyConflictError &&
          error.actualVersion === 1 &&
          error.message.includes(`${ref.id} is no longer at version ${expected} but at 1`),
      );
    }
  });

  it('lets one of two writers that read the same version in, and fails the other with ConcurrencyConflictError', async () => {
    const ref = stream();
    await dataSource.transaction((tx) => store.append(tx, ref, 0, [event('placed')]));

    // Both transactions pass the version check before either commits: only the constraint can tell.
    let releaseFirst = (): void => undefined;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstAppended = (_pid: number): void => undefined;
    const firstHasAppended = new Promise<number>((resolve) => (firstAppended = resolve));
    const first = dataSource.transaction(async (tx: EntityManager) => {
      await store.append(tx, ref, 1, [event('first')]);
      const [{ pid }]: [{ pid: number }] = await tx.query('SELECT pg_backend_pid() AS pid');
      firstAppended(pid);
      await firstHolds;
    });
    const firstPid = await firstHasAppended;
    const second = dataSource.transaction((tx) => store.append(tx, ref, 1, [event('second')]));
    // It may fail before assert.rejects below is reached; handled here so the runner does not count
    // an unhandled rejection as a failure (assert.rejects still sees the same rejection).
    second.catch(() => undefined);
    await eventually(
      async () => {
        const [{ blocked }]: [{ blocked: number }] = await dataSource.query(
          'SELECT count(*)::int AS blocked FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))',
          [firstPid],
        );
        return blocked > 0 ? true : undefined;
      },
      { what: 'the second writer waiting on the first one’s uncommitted version 2' },
    );
    releaseFirst();
    await first;
    await assert.rejects(second, (error: unknown) => error instanceof ConcurrencyConflictError && error.actualVersion === undefined);
    const events = await store.readStream(dataSource.manager, ref.id);
    assert.deepEqual(
      events.map((e) => e.payload),
      [{ note: 'placed' }, { note: 'first' }],
    );
  });
});

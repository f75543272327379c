import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Logger } from '@nestjs/common';
import { ServiceMetrics } from '../observability/index.js';
import { eventually } from '../testing/index.js';
import { aggregatesOutOfOrder, deliveries } from './test-fixtures/deliveries.js';
import { OutboxTestBed, interleavedEvents, type RelayProcessConfig } from './test-fixtures/outbox-test-bed.js';

const RELAY_PROCESS = fileURLToPath(new URL('./test-fixtures/relay-process.js', import.meta.url));
/** The application_name of a relay's own connection (see OutboxRelay.serve). */
const RELAY_CONNECTION = `${OutboxTestBed.service.name}-outbox-relay`;

/** A relay child process and the leadership it last reported. */
interface RelayProcess {
  child: ChildProcess;
  state: 'starting' | 'leader' | 'standby' | 'killed' | 'exited';
  exited: Promise<number | null>;
}

function spawnRelay(config: RelayProcessConfig): RelayProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', RELAY_PROCESS], {
    env: { ...process.env, OUTBOX_RELAY_PROCESS: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const relay: RelayProcess = {
    child,
    state: 'starting',
    exited: once(child, 'exit').then(([code]) => {
      if (relay.state !== 'killed') relay.state = 'exited';
      return code as number | null;
    }),
  };
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    const match = /^\{"relay":"(leader|standby)"\}$/.exec(line);
    if (match && relay.state !== 'killed') relay.state = match[1] as 'leader' | 'standby';
  });
  return relay;
}

/** SIGKILL: no shutdown hook runs, the connection is cut as a crash or an OOM kill would cut it. */
async function kill(relay: RelayProcess): Promise<void> {
  relay.state = 'killed';
  relay.child.kill('SIGKILL');
  await relay.exited;
}

/** Relay sessions currently connected as the test service. */
async function relaySessions(test: OutboxTestBed, where = 'true'): Promise<number> {
  const [row] = (await test.dataSource.query(
    `SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE application_name = $1 AND ${where}`,
    [RELAY_CONNECTION],
  )) as { sessions: number }[];
  return row?.sessions ?? 0;
}

async function waitingOnRowLock(test: OutboxTestBed): Promise<boolean> {
  return (await relaySessions(test, `wait_event_type = 'Lock'`)) > 0;
}

async function metricValue(metrics: ServiceMetrics, name: string): Promise<number | undefined> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  return metric?.values[0]?.value;
}

describe('OutboxRelay on PostgreSQL and Kafka', () => {
  let bed: OutboxTestBed;

  before(async () => {
    // Leadership changes and the naive-mode warning stay visible; routine lines do not.
    Logger.overrideLogger(['error', 'warn']);
    bed = await OutboxTestBed.open();
  });
  after(() => bed?.close());

  it('publishes every event to its aggregate’s partition in sequence order, and reports the backlog going to 0', async (t) => {
    const outbox = await bed.createOutbox();
    await bed.append(outbox, interleavedEvents(1_000, 50));
    const watcher = await bed.watch(outbox);
    const metrics = new ServiceMetrics(OutboxTestBed.service);
    const relay = bed.relay(bed.options(outbox, { batchSize: 100 }), metrics);
    assert.equal(await metricValue(metrics, 'outbox_backlog'), 1_000);
    assert.ok(((await metricValue(metrics, 'outbox_oldest_unpublished_age_seconds')) ?? -1) >= 0);
    assert.equal(await metricValue(metrics, 'outbox_relay_leader'), 0);

    const started = performance.now();
    relay.start();
    try {
      await eventually(async () => (deliveries(watcher.messages).distinct === 1_000 ? true : undefined), {
        timeoutMs: 15_000,
        what: '1,000 events on the topic',
      });
      t.diagnostic(`throughput: ${Math.round(1_000 / ((performance.now() - started) / 1_000))} events/s (batches of 100)`);
      await eventually(async () => ((await metricValue(metrics, 'outbox_backlog')) === 0 ? true : undefined), {
        what: 'outbox_backlog at 0',
      });
      assert.equal(await metricValue(metrics, 'outbox_oldest_unpublished_age_seconds'), 0);
      assert.equal(await metricValue(metrics, 'outbox_published_total'), 1_000);
      assert.equal(await metricValue(metrics, 'outbox_relay_leader'), 1);

      const received = deliveries(watcher.messages);
      assert.deepEqual(aggregatesOutOfOrder(received, 20), []);
      assert.deepEqual([...received.partitions.values()].filter((p) => p.size !== 1), [], 'each aggregate on one partition');
      assert.ok(watcher.messages.every((m) => m.key === (JSON.parse(m.value ?? '{}') as { aggregateId: string }).aggregateId));
    } finally {
      await relay.stop();
      await watcher.stop();
    }
    assert.equal(await metricValue(metrics, 'outbox_relay_leader'), 0, 'a stopped relay is no longer the leader');
  });

  it('is woken by the NOTIFY of a committing writer, long before its 30 s poll would find the event', async () => {
    const outbox = await bed.createOutbox();
    const watcher = await bed.watch(outbox);
    const relay = bed.relay(bed.options(outbox, { pollIntervalMs: 30_000 }));
    relay.start();
    try {
      await eventually(async () => (relay.isLeader ? true : undefined), { what: 'the relay leading' });
      // Let its first pass find the table empty: from here on only a notification or the poll wakes it.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const committed = performance.now();
      await bed.append(outbox, [{ aggregateId: 'woken', sequence: 1 }]);
      await watcher.waitFor((m) => m.key === 'woken', 10_000);
      const latencyMs = performance.now() - committed;
      // Well inside the 30 s poll, so only the notification can have woken it; a busy machine gets room.
      assert.ok(latencyMs < 15_000, `published ${Math.round(latencyMs)} ms after the commit`);
      console.log(`  published ${Math.round(latencyMs)} ms after the commit`);
    } finally {
      await relay.stop();
      await watcher.stop();
    }
  });

  for (const publishedRows of ['marked', 'deleted'] as const) {
    it(`loses and reorders nothing when killed with SIGKILL between sending a batch and ${publishedRows === 'marked' ? 'marking' : 'deleting'} its rows: the next relay sends that batch again`, async () => {
      const outbox = await bed.createOutbox();
      await bed.append(outbox, interleavedEvents(600, 30));
      const rows = (await bed.dataSource.query(`SELECT id, event_id AS "eventId" FROM ${outbox.table} ORDER BY id`)) as {
        id: string;
        eventId: string;
      }[];
      // Hold a lock on the last row of the 6th batch of 50: the relay sends that batch, then its UPDATE
      // marking the batch waits on this lock — the crash window, held open.
      const blocked = rows[299];
      assert.ok(blocked);
      const blocker = bed.dataSource.createQueryRunner();
      await blocker.connect();
      await blocker.startTransaction();
      await blocker.query(`SELECT id FROM ${outbox.table} WHERE id = $1 FOR UPDATE`, [blocked.id]);

      const watcher = await bed.watch(outbox);
      const config = bed.processConfig(outbox, { batchSize: 50, leaderRetryMs: 100, publishedRows });
      const first = spawnRelay(config);
      let second: RelayProcess | undefined;
      try {
        await watcher.waitFor((m) => m.value?.includes(blocked.eventId) ?? false, 20_000);
        await eventually(async () => ((await waitingOnRowLock(bed)) ? true : undefined), {
          what: 'the relay waiting to mark the batch it sent',
        });
        await kill(first);
        // PostgreSQL notices the dead client (client_connection_check_interval) and ends its session,
        // aborting the UPDATE and releasing the leader lock.
        await eventually(async () => ((await relaySessions(bed)) === 0 ? true : undefined), {
          what: "the killed relay's session ended by PostgreSQL",
        });
        await blocker.rollbackTransaction();
        assert.equal(await bed.publishedCount(outbox), 250, 'the sent batch was never marked');

        second = spawnRelay(config);
        await eventually(async () => (deliveries(watcher.messages).distinct === 600 ? true : undefined), {
          timeoutMs: 20_000,
          what: 'all 600 events on the topic',
        });
        await eventually(async () => ((await bed.publishedCount(outbox)) === 600 ? true : undefined), { what: 'all rows marked' });

        const received = deliveries(watcher.messages);
        assert.ok(received.duplicates >= 50, `the unmarked batch is sent again (${received.duplicates} copies)`);
        assert.deepEqual(received.inconsistentCopies, [], 'every copy is a redelivery of the same event');
        assert.deepEqual(aggregatesOutOfOrder(received, 20), []);
      } finally {
        if (blocker.isTransactionActive) await blocker.rollbackTransaction();
        await blocker.release();
        if (first.state !== 'killed') first.child.kill('SIGKILL');
        second?.child.kill('SIGTERM');
        assert.equal(await second?.exited, 0, 'stops cleanly on SIGTERM');
        await watcher.stop();
      }
    });
  }

  it('lets one of two racing relay processes publish at a time over 3,000 events of 200 aggregates, every aggregate in order, the standby finishing after the leader is killed', async (t) => {
    const outbox = await bed.createOutbox();
    const events = interleavedEvents(3_000, 200);
    const watcher = await bed.watch(outbox);
    const config = bed.processConfig(outbox, { batchSize: 50, leaderRetryMs: 100 });
    const relays = [spawnRelay(config), spawnRelay(config)];
    let mostLeadersAtOnce = 0;
    const everLeading = new Set<RelayProcess>();
    const sampler = setInterval(() => {
      const leading = relays.filter((r) => r.state === 'leader');
      mostLeadersAtOnce = Math.max(mostLeadersAtOnce, leading.length);
      for (const relay of leading) everLeading.add(relay);
    }, 5);
    try {
      await eventually(
        async () => (relays.map((r) => r.state).sort().join() === 'leader,standby' ? true : undefined),
        { timeoutMs: 15_000, what: 'one relay leading, the other standing by' },
      );
      const started = performance.now();
      // The writer keeps committing while the leader publishes, and through the failover.
      const writing = bed.append(outbox, events, 50);
      await eventually(async () => ((await bed.publishedCount(outbox)) >= 1_000 ? true : undefined), {
        intervalMs: 10,
        what: 'the leader publishing',
      });
      const leader = relays.find((r) => r.state === 'leader');
      assert.ok(leader);
      await kill(leader);
      t.diagnostic(`leader killed with ${await bed.publishedCount(outbox)} of 3,000 events published`);
      await writing;
      await eventually(async () => (deliveries(watcher.messages).distinct === 3_000 ? true : undefined), {
        timeoutMs: 30_000,
        what: 'all 3,000 events on the topic',
      });
      const seconds = (performance.now() - started) / 1_000;
      const received = deliveries(watcher.messages);
      t.diagnostic(
        `3,000 events in ${seconds.toFixed(1)} s (${Math.round(3_000 / seconds)} events/s, writes and a failover included), ${received.duplicates} redelivered`,
      );

      assert.equal(mostLeadersAtOnce, 1, 'never two leaders at once');
      assert.equal(everLeading.size, 2, 'the standby took over');
      assert.deepEqual(received.inconsistentCopies, []);
      assert.deepEqual(aggregatesOutOfOrder(received, 15), []);
      assert.deepEqual([...received.partitions.values()].filter((p) => p.size !== 1), [], 'each aggregate on one partition');
    } finally {
      clearInterval(sampler);
      for (const relay of relays) if (relay.state !== 'killed') relay.child.kill('SIGTERM');
      await Promise.all(relays.map((r) => r.exited));
      await watcher.stop();
    }
  });

  it('in naive mode (workshop, article 4) scatters one aggregate’s events over the partitions', async () => {
    const outbox = await bed.createOutbox();
    await bed.append(outbox, interleavedEvents(30, 1, 'scattered'));
    const watcher = await bed.watch(outbox);
    const relay = bed.relay(bed.options(outbox, { publishing: 'naive' }));
    relay.start();
    try {
      await eventually(async () => (watcher.messages.length >= 30 ? true : undefined), { what: '30 naive events' });
      const partitions = deliveries(watcher.messages).partitions.get('scattered-0');
      assert.ok((partitions?.size ?? 0) > 1, 'one aggregate on several partitions: consumers can reorder it');
    } finally {
      await relay.stop();
      await watcher.stop();
    }
  });
});

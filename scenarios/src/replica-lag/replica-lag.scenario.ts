import { z } from 'zod';
import { REPLICA_TOKEN_HEADER, ReplicaReplayControl, SERVED_BY_HEADER } from '@faultline/shared/consistency';
import { loadConfig, port } from '@faultline/shared/config';
import { ServiceProcess, eventually } from '@faultline/shared/testing';
import { requireScenarioPortsFree } from '../free-ports.js';
import { scrapeMetric } from '../event-ordering/scrape-metric.js';
import type { Narrator, Scenario, ScenarioMode, ScenarioOutcome } from '../scenario.js';
import { ScenarioIdentity, type Customer } from '../identity.js';

/** Write→read cycles while the replica is paused: enough that "0 stale" is not luck. */
export const CYCLES = 100;
/** Low for the workshop, so the lag alert visibly fires during the run (the service default is 5 s). */
const MAX_LAG_SECONDS = 1;

/**
 * Article 7 — read-replica lag. Billing runs as a real process; its customer profile reads may go
 * to the real streaming replica. Replay on the replica is paused (the superuser's
 * `pg_wal_replay_pause()`), so the replica's data freezes while the primary moves on; then a client
 * renames a customer 100 times, reading the profile back after each write. Naive: reads go to the
 * replica, the client sends no token, and it reads an older name than the one it just wrote.
 * Correct: the client sends back each write's `X-Replica-Token`; the router sees the replica has
 * not replayed it and answers from the primary — and once replay resumes, reads use the replica again.
 */
export const replicaLagScenario: Scenario = {
  name: 'replica-lag',
  article: 7,
  title: 'Read-replica lag — reading your own write from a replica that has not replayed it',
  switches: { naive: { BILLING_REPLICA_READS: 'naive' }, correct: { BILLING_REPLICA_READS: 'routed' } },
  promise: {
    naive: `replica replay paused; of ${CYCLES} write→read cycles without a token, some read an older profile than the one just written`,
    correct: `replica replay paused; ${CYCLES} of ${CYCLES} token-carrying reads are fresh, all from the primary; the lag crosses its alert threshold; after resume reads use the replica again`,
  },
  run: runReplicaLag,
};

function replicaLagEnvironment() {
  return loadConfig(
    'scenarios',
    z.object({
      PG_REPLICA_PORT: port(),
      PG_SUPERUSER: z.string().min(1),
      PG_SUPERUSER_PASSWORD: z.string().min(1),
      BILLING_HTTP_PORT: port(),
    }),
  );
}

interface Cycle {
  fresh: boolean;
  servedBy: string;
}

async function runReplicaLag(mode: ScenarioMode, narrate: Narrator): Promise<ScenarioOutcome> {
  const env = replicaLagEnvironment();
  const replay = new ReplicaReplayControl({
    host: '127.0.0.1',
    port: env.PG_REPLICA_PORT,
    user: env.PG_SUPERUSER,
    password: env.PG_SUPERUSER_PASSWORD,
  });
  await requireScenarioPortsFree({ billing: env.BILLING_HTTP_PORT });
  const serviceEnv: Record<string, string> = {
    FAULTLINE_WORKSHOP_MODE: 'true',
    BILLING_REPLICA_MAX_LAG_SECONDS: String(MAX_LAG_SECONDS),
    ...replicaLagScenario.switches[mode],
  };
  let identity: ScenarioIdentity | undefined;
  let billing: ServiceProcess | undefined;
  // Resumed first, in case an earlier run was killed while the replica was paused.
  await replay.resume();
  try {
    narrate.step(`Starting the identity provider and billing (BILLING_REPLICA_READS=${serviceEnv.BILLING_REPLICA_READS})`);
    identity = await ScenarioIdentity.start();
    billing = await ServiceProcess.start({ app: 'billing', port: env.BILLING_HTTP_PORT, env: () => serviceEnv, logName: 'scenario-billing' });
    const customers = new CustomerClient(billing.url, await identity.newCustomer(), mode === 'correct');
    await customers.rename('Revision start');
    await eventually(async () => ((await customers.read('Revision start', false)).fresh ? true : undefined), {
      timeoutMs: 10_000,
      what: 'the replica to hold the new customer',
    });
    narrate.detail(`customer ${customers.id} created; the replica has replayed it`);

    narrate.step('Pausing WAL replay on the streaming replica: it keeps receiving WAL but stops applying it');
    narrate.detail(`replay state: ${await replay.pause()}`);
    const cycles: Cycle[] = [];
    let lagSecondsWhilePaused = 0;
    try {
      narrate.step(
        `${CYCLES} times: PUT /customers/:id with a new name, then GET it ${mode === 'correct' ? `sending back ${REPLICA_TOKEN_HEADER}` : 'without a token'}`,
      );
      for (let i = 0; i < CYCLES; i++) {
        const name = `Revision ${i}`;
        await customers.rename(name);
        cycles.push(await customers.read(name));
      }
      lagSecondsWhilePaused = await eventually(
        async () => {
          const seconds = await scrapeMetric(customers.url, 'replica_lag_seconds');
          return seconds > MAX_LAG_SECONDS ? seconds : undefined;
        },
        { timeoutMs: 10_000, intervalMs: 250, what: `replica_lag_seconds above ${MAX_LAG_SECONDS}` },
      ).catch(() => scrapeMetric(customers.url, 'replica_lag_seconds'));
    } finally {
      await replay.resume();
    }
    const stale = cycles.filter((c) => !c.fresh).length;
    const servedBy = countBy(cycles.map((c) => c.servedBy));
    narrate.detail(`stale reads: ${stale} of ${CYCLES}; served by ${formatCounts(servedBy)}`);
    narrate.detail(`replica_lag_seconds while paused: ${lagSecondsWhilePaused.toFixed(1)} (alert threshold ${MAX_LAG_SECONDS} s)`);

    narrate.step('Replay resumed: one more write→read, until the replica answers it');
    const afterResume = await eventually(
      async () => {
        await customers.rename('Revision after resume');
        const read = await customers.read('Revision after resume');
        return read.servedBy === 'replica' ? read : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 250, what: 'a read served by the replica after resume' },
    ).catch(() => undefined);
    narrate.detail(afterResume ? `served by the replica, ${afterResume.fresh ? 'fresh' : 'STALE'}` : 'the replica never answered again');

    const servedByReplicaAfterResume = afterResume?.servedBy === 'replica' && afterResume.fresh;
    return {
      showedWhatItPromised:
        mode === 'naive'
          ? stale > 0
          : stale === 0 && servedBy.primary === CYCLES && lagSecondsWhilePaused > MAX_LAG_SECONDS && servedByReplicaAfterResume,
      measurements: {
        cycles: CYCLES,
        staleReads: stale,
        readsServedByPrimary: servedBy.primary ?? 0,
        readsServedByReplica: servedBy.replica ?? 0,
        replicaLagSecondsWhilePaused: Number(lagSecondsWhilePaused.toFixed(1)),
        lagAlertThresholdSeconds: MAX_LAG_SECONDS,
        servedByReplicaAfterResume,
      },
    };
  } finally {
    await replay.resume();
    await billing?.stop();
    await identity?.stop();
  }
}

/** The workshop's client: a customer who renames themself and reads their profile back, with or without the token. */
class CustomerClient {
  private token = '';
  readonly id: string;

  constructor(
    readonly url: string,
    private readonly customer: Customer,
    private readonly sendsToken: boolean,
  ) {
    this.id = customer.customerId;
  }

  async rename(displayName: string): Promise<void> {
    const response = await this.customer.fetch(`${this.url}/customers/${this.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName, timeZone: 'Europe/Lisbon' }),
    });
    if (!response.ok) throw new Error(`PUT /customers/${this.id} answered ${response.status}: ${await response.text()}`);
    this.token = response.headers.get(REPLICA_TOKEN_HEADER) ?? '';
  }

  /** A read that is not served (a refused token, a 5xx) is an error, not a stale read. */
  async read(expected: string, sendToken = this.sendsToken): Promise<Cycle> {
    const response = await this.customer.fetch(`${this.url}/customers/${this.id}`, { headers: sendToken ? { [REPLICA_TOKEN_HEADER]: this.token } : {} });
    if (!response.ok) throw new Error(`GET /customers/${this.id} answered ${response.status}: ${await response.text()}`);
    const body = (await response.json()) as { displayName: string };
    return { fresh: body.displayName === expected, servedBy: response.headers.get(SERVED_BY_HEADER) ?? 'unknown' };
  }
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([key, count]) => `${key} ${count}`)
    .join(', ');
}

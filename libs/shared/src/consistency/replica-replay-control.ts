import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

/** `pg_wal_replay_pause()` only requests the pause; replay stops at its next WAL record. */
const PAUSE_TAKES_EFFECT_WITHIN_MS = 5_000;

export interface SuperuserConnection {
  host: string;
  /** The replica's own port (not a service's Toxiproxy link): pausing replay is an operator's act. */
  port: number;
  user: string;
  password: string;
}

/**
 * Lag on demand, on the real replica, for the workshop and the tests (article 7): pauses and resumes
 * WAL replay. The replica keeps receiving WAL but stops applying it, so its data freezes while the
 * primary moves on — the same staleness a slow or overloaded replica shows, without waiting for one.
 * `pg_wal_replay_pause()` is executable only by superusers (or roles granted it explicitly), so this
 * logs in as the superuser; no service ever does. Always resume in a `finally`: a replica left
 * paused makes every other reader on the machine stale.
 */
export class ReplicaReplayControl {
  constructor(private readonly connection: SuperuserConnection) {}

  /**
   * Requests the pause and waits (bounded) until replay has actually stopped, so that what is
   * written afterwards is certainly not replayed; returns the final pause state.
   */
  pause(): Promise<string> {
    return this.run(async (client) => {
      await client.query('SELECT pg_wal_replay_pause()');
      const deadline = performance.now() + PAUSE_TAKES_EFFECT_WITHIN_MS;
      for (;;) {
        const state = await pauseState(client);
        if (state === 'paused' || performance.now() > deadline) return state;
        await sleep(20);
      }
    });
  }

  /** `not paused`, `pause requested` or `paused`: the replica's own word (`pg_get_wal_replay_pause_state()`). */
  state(): Promise<string> {
    return this.run(pauseState);
  }

  resume(): Promise<void> {
    return this.run(async (client) => {
      await client.query('SELECT pg_wal_replay_resume()');
    });
  }

  private async run<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ ...this.connection, database: 'postgres', application_name: 'faultline-replay-control' });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }
}

async function pauseState(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ state: string }>('SELECT pg_get_wal_replay_pause_state() AS state');
  return rows[0]?.state ?? 'unknown';
}

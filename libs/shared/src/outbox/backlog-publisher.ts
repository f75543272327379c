import type { Clock } from '../clock/index.js';
import type { MessageProducer, OutgoingMessage } from '../messaging/index.js';
import type { OutboxRelayMetrics } from './outbox-relay-metrics.js';
import type { OutboxTable, PendingRow } from './outbox-table.js';
import { sendWithPublishSpans } from './publish-spans.js';
import type { RelayConnection } from './relay-connection.js';

export interface BacklogPublisherOptions {
  table: OutboxTable;
  producer: MessageProducer;
  /** The message a row goes out as: its envelope, keyed by its aggregate id (see OutboxRelay). */
  toMessage: (row: PendingRow) => OutgoingMessage;
  batchSize: number;
  clock: Clock;
  metrics: OutboxRelayMetrics;
}

/**
 * The publishing loop of the leading OutboxRelay: reads the unpublished rows, sends them in id
 * order and marks them published, on the relay's session.
 */
export class BacklogPublisher {
  constructor(private readonly options: BacklogPublisherOptions) {}

  /**
   * Publishes the backlog, batch after batch in id order, until a batch comes back short or the
   * relay stops.
   *
   * Pipelined (reading, sending and marking one after another would hold the relay to about 0.35× a
   * bare producer, docs/performance.md): while batch N is with Kafka, this session runs ONE statement that marks batch N-1
   * published and reads batch N+1 (one round trip and one commit per batch instead of two). What
   * keeps article 4's guarantees:
   * - **Order**: sends are one at a time, each awaited, through the ordered producer (one
   *   request in flight), and batch N+1 is sent only after Kafka acknowledged batch N. Batch N+1 is
   *   read with N's and N-1's ids excluded, not "after N's last id", so a row committed late with a
   *   lower id is still found.
   * - **At least once, never lost**: a row is marked only after Kafka acknowledged it, and batch N+1
   *   is sent only once the statement marking N-1 has committed; if a mark fails or the relay dies,
   *   the unmarked batches (at most the two last sent) are read and sent again, in id order, and
   *   consumers drop the copies by eventId (inbox).
   * - **One publisher**: every read and mark still runs on the session holding the leader lock.
   */
  async publishBacklog(connection: RelayConnection, signal: AbortSignal): Promise<void> {
    const limit = this.options.batchSize;
    // Acknowledged by Kafka and not yet in a marking statement.
    let unmarked: string[] = [];
    // The statement carrying the latest mark: a read-ahead, or a mark alone after a short batch.
    let marking: Promise<unknown> | undefined;
    let next: Promise<PendingRow[]> | undefined = awaitedLater(connection.pendingRows(this.options.table.selectPending(limit)));
    try {
      while (next && !signal.aborted) {
        const rows: PendingRow[] = await next;
        next = undefined;
        marking = undefined;
        if (rows.length === 0) break;
        const marks = unmarked;
        unmarked = [];
        if (rows.length === limit) {
          // A full batch suggests more: read the next one (and mark the previous one) during the send.
          next = awaitedLater(this.markAndReadAhead(connection, marks, rows));
          marking = next;
        } else if (marks.length > 0) {
          // A short batch ends the pass (NOTIFY starts the next): only the previous batch to mark.
          marking = awaitedLater(this.markPublished(connection, marks));
        }
        const sent: string[] = [];
        try {
          await this.sendInOrder(rows, sent, signal);
        } finally {
          // Also after a failed send: what Kafka acknowledged is marked, the rest waits for the retry.
          unmarked = sent;
        }
        if (sent.length < rows.length) break;
      }
    } finally {
      // The read-ahead is dropped if unused (the next pass reads those rows again); its mark is kept.
      if (marking) await marking;
      if (unmarked.length > 0) await this.markPublished(connection, unmarked);
    }
  }

  /**
   * Sends `rows` in id order, one send per run of one topic, pushing each acknowledged row's id to
   * `sent`; each message in a publish span of the trace its event was written in (publish-spans.ts).
   */
  private async sendInOrder(rows: readonly PendingRow[], sent: string[], signal: AbortSignal): Promise<void> {
    for (const run of runsOfOneTopic(rows)) {
      if (signal.aborted) return;
      await sendWithPublishSpans(this.options.producer, run.topic, run.rows, this.options.toMessage);
      sent.push(...run.rows.map((row) => row.id));
    }
  }

  /** Marks `marks` published and reads the batch after `current`, in one statement. */
  private async markAndReadAhead(connection: RelayConnection, marks: readonly string[], current: readonly PendingRow[]): Promise<PendingRow[]> {
    const excluding = [...marks, ...current.map((row) => row.id)];
    const read = await connection.pendingRows(this.options.table.markPublishedAndSelectPending(marks, this.options.clock.now(), this.options.batchSize, excluding));
    this.options.metrics.countPublished(marks.length);
    return read;
  }

  private async markPublished(connection: RelayConnection, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await connection.execute(this.options.table.markPublished(ids, this.options.clock.now()));
    this.options.metrics.countPublished(ids.length);
  }
}

/**
 * Marks `promise` as handled now and returns it, to be awaited later: a read-ahead or a mark that
 * fails while the relay awaits a send would otherwise be an unhandled rejection, which ends the
 * process. Awaiting the returned promise still throws the failure.
 */
function awaitedLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** Consecutive rows with the same topic: one send each, so the batch's order is kept across topics. */
function* runsOfOneTopic(rows: readonly PendingRow[]): Generator<{ topic: string; rows: PendingRow[] }> {
  let run: { topic: string; rows: PendingRow[] } | undefined;
  for (const row of rows) {
    if (run && run.topic === row.topic) {
      run.rows.push(row);
      continue;
    }
    if (run) yield run;
    run = { topic: row.topic, rows: [row] };
  }
  if (run) yield run;
}

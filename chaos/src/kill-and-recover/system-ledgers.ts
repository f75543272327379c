import pg from 'pg';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { ORDER_AGGREGATE, ORDER_CANCELLED, ORDER_EVENTS_TOPIC, ORDER_PAID, ORDER_PLACED, ORDER_REFUNDED, ORDER_REJECTED, PAYMENT_AGGREGATE, PAYMENT_CAPTURED } from '@faultline/shared/contracts';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import { DEAD_LETTER_HEADERS } from '@faultline/shared/dead-letter';
import { type KafkaClient, type StoredRecord } from '@faultline/shared/messaging';
import type { Mailbox, ReceivedEmail } from './mailbox.js';
import { readTopicsSince, type PartitionStarts } from './topic-slice.js';

/** One event of an order's stream in the orders event store. */
export interface StoredOrderEvent {
  sequence: number;
  eventId: string;
  type: string;
}

/** Each order of the run as the orders event store tells it. */
export interface OrderOutcome {
  orderId: string;
  /** Its events in sequence order. */
  stream: StoredOrderEvent[];
  placed: boolean;
  /**
   * Where it ended: `refunded` once a paid order that was cancelled got its money back. A paid order
   * that is cancelled and not refunded yet is not terminal: its refund is still running.
   */
  terminal: 'paid' | 'rejected' | 'cancelled' | 'refunded' | undefined;
  terminalAt: Date | undefined;
}

export interface BillingPayment {
  paymentId: string;
  orderId: string;
  amountMinor: number;
  status: string;
  providerAuthorizationId: string;
}

export interface ProviderCharge {
  id: string;
  orderReference: string;
  amountMinor: number;
  status: string;
}

/** A record of one of the run's orders on the order events topic. */
export interface PublishedOrderEvent {
  partition: number;
  offset: bigint;
  sequence: number;
  eventId: string;
}

/** A dead letter of one of the run's orders, in one consumer's dead-letter topic. */
export interface RunDeadLetter {
  consumer: string;
  orderId: string;
  reason: string;
}

/** What every ledger of the system says about the run's orders, read straight from the primary and the broker. */
export interface SystemLedgers {
  orders: Map<string, OrderOutcome>;
  payments: BillingPayment[];
  charges: ProviderCharge[];
  /** Outbox rows of the run's aggregates not yet published, per database that has an outbox. */
  unpublishedOfRun: Record<string, number>;
  /** Every unpublished row in those tables, other suites' included (context only). */
  unpublishedTotal: Record<string, number>;
  /** Per order of the run: its records on orders.order.events written since the run started, in offset order per partition. */
  published: Map<string, PublishedOrderEvent[]>;
  /** Inbox rows for the run's orders, per consumer: the primary key (consumer, event id) allows one per event at most. */
  processed: Record<string, number>;
  /** "We have your order" rows in notifications' `notifications` table per order: one per applied `placed`. */
  notifications: Map<string, number>;
  /** Billing's copy of each order (`billing_orders`): its status and the sequence of the last event applied to it. */
  billingOrders: Map<string, { status: string; version: number }>;
  /** Per consumer, the ordering guard's checkpoint (`ordering_checkpoints.last_sequence`) per order. */
  checkpoints: Record<string, Map<string, number>>;
  /** Dead letters of the run's orders written since the run started, in each consumer's dead-letter topic. */
  deadLetters: RunDeadLetter[];
  /** The saga's workflows for the run's orders (`order-<orderId>` on the run's task queue). */
  workflows: number;
  /** Per order, the event ids of billing's `billing.payment.captured` events (its outbox): one receipt e-mail is due for each. */
  receipts: Map<string, string[]>;
  /** Per order, the refunds the provider carried out: its keyed refund requests that succeeded (200). */
  providerRefunds: Map<string, number>;
  /** The e-mails MailDev received for the run's customers' addresses. */
  emails: ReceivedEmail[];
}

/** The consumers of the order events and the database each keeps its inbox and checkpoints in. */
export const ORDER_EVENT_CONSUMERS = [
  { consumer: 'billing-orders', database: 'billing' },
  { consumer: 'notifications-orders', database: 'notifications' },
  { consumer: 'orders-fulfilment', database: 'orders' },
] as const;

/** Each consumer dead-letters to `<group>.dlq`, its group being its name (EventConsumerOptions). */
export const deadLetterTopicOf = (consumer: string) => `${consumer}.dlq`;

/** The topics whose slice written during the run the checker reads: the order events and the consumers' dead letters. */
export const RUN_TOPICS = [ORDER_EVENTS_TOPIC, ...ORDER_EVENT_CONSUMERS.map(({ consumer }) => deadLetterTopicOf(consumer))];

/** One read of the run's records on the topics: the broker answers in seconds, also after a restart. */
const TOPIC_READ_TIMEOUT_MS = 60_000;

const DATABASES = ['orders', 'billing', 'notifications', 'payment_provider'] as const;
type Database = (typeof DATABASES)[number];

/**
 * Reads the ledgers as the superuser, directly on the primary (not through Toxiproxy: the run's own
 * cuts, and other suites', must not blind the checker). Each database is its service's own; the
 * provider's is the customer's card statement. The topics are read from where they ended when the
 * run started (`topicStarts`), so only the run's records are read.
 */
export class SystemLedgerReader {
  private constructor(
    private readonly pools: Map<Database, pg.Pool>,
    private readonly temporal: TemporalClient,
    private readonly temporalConnection: Connection,
    private readonly taskQueue: string,
    private readonly kafka: KafkaClient,
    private readonly topicStarts: ReadonlyMap<string, PartitionStarts>,
    private readonly mailbox: Mailbox,
  ) {}

  static async open(taskQueue: string, kafka: KafkaClient, topicStarts: ReadonlyMap<string, PartitionStarts>, mailbox: Mailbox): Promise<SystemLedgerReader> {
    const env = readFaultlineEnvironment();
    const pools = new Map<Database, pg.Pool>(
      DATABASES.map((database) => [
        database,
        new pg.Pool({
          host: '127.0.0.1',
          port: Number(env.PG_PRIMARY_PORT),
          user: env.PG_SUPERUSER,
          password: env.PG_SUPERUSER_PASSWORD,
          database: env[`${database.toUpperCase()}_DB_NAME`] ?? database,
          max: 2,
        }),
      ]),
    );
    for (const pool of pools.values()) pool.on('error', () => undefined);
    const temporalConnection = await Connection.connect({ address: `127.0.0.1:${env.TEMPORAL_PORT ?? '17233'}` });
    const temporal = new TemporalClient({ connection: temporalConnection, namespace: env.TEMPORAL_NAMESPACE ?? 'default' });
    return new SystemLedgerReader(pools, temporal, temporalConnection, taskQueue, kafka, topicStarts, mailbox);
  }

  /** Everything the invariants look at for `orderIds`, with the e-mails MailDev received for `addresses`. */
  async read(orderIds: string[], addresses: ReadonlySet<string>): Promise<SystemLedgers> {
    const [orders, payments, charges, outboxes, processed, notifications, billingOrders, checkpoints, topics, workflows, receipts, providerRefunds, emails] = await Promise.all([
      this.readOrders(orderIds),
      this.readPayments(orderIds),
      this.readCharges(orderIds),
      this.readOutboxes(orderIds),
      this.readProcessed(orderIds),
      this.readNotifications(orderIds),
      this.readBillingOrders(orderIds),
      this.readCheckpoints(orderIds),
      this.readTopics(orderIds),
      this.countWorkflows(orderIds),
      this.readReceipts(orderIds),
      this.readProviderRefunds(orderIds),
      this.mailbox.receivedBy(addresses),
    ]);
    return { orders, payments, charges, ...outboxes, processed, notifications, billingOrders, checkpoints, ...topics, workflows, receipts, providerRefunds, emails };
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.end()));
    await this.temporalConnection.close();
  }

  private async readOrders(orderIds: string[]): Promise<Map<string, OrderOutcome>> {
    const { rows } = await this.query<{ stream_id: string; version: number; event_id: string; type: string; occurred_at: Date }>(
      'orders',
      `SELECT stream_id, version, event_id, type, occurred_at FROM events
        WHERE stream_type = 'order' AND stream_id = ANY($1::text[]) ORDER BY stream_id, version`,
      [orderIds],
    );
    const streams = new Map<string, typeof rows>();
    for (const row of rows) streams.set(row.stream_id, [...(streams.get(row.stream_id) ?? []), row]);
    const outcomes = new Map<string, OrderOutcome>();
    for (const [orderId, events] of streams) {
      const last = (type: string) => events.filter((event) => event.type === type).at(-1)?.occurred_at;
      const paid = last(ORDER_PAID);
      const rejected = last(ORDER_REJECTED);
      const cancelled = last(ORDER_CANCELLED);
      const refunded = last(ORDER_REFUNDED);
      // A paid order that is cancelled ends only when its refund is recorded.
      const refundPending = paid !== undefined && cancelled !== undefined && refunded === undefined;
      const terminal = refunded ? 'refunded' : refundPending ? undefined : paid ? 'paid' : rejected ? 'rejected' : cancelled ? 'cancelled' : undefined;
      outcomes.set(orderId, {
        orderId,
        stream: events.map((event) => ({ sequence: event.version, eventId: event.event_id, type: event.type })),
        placed: events.some((event) => event.type === ORDER_PLACED),
        terminal,
        terminalAt: refunded ?? (refundPending ? undefined : (paid ?? rejected ?? cancelled)),
      });
    }
    return outcomes;
  }

  private async readPayments(orderIds: string[]): Promise<BillingPayment[]> {
    const { rows } = await this.query<{ payment_id: string; order_id: string; amount_minor: string; status: string; provider_authorization_id: string }>(
      'billing',
      'SELECT payment_id, order_id, amount_minor, status, provider_authorization_id FROM payments WHERE order_id = ANY($1::uuid[])',
      [orderIds],
    );
    return rows.map((row) => ({
      paymentId: row.payment_id,
      orderId: row.order_id,
      amountMinor: Number(row.amount_minor),
      status: row.status,
      providerAuthorizationId: row.provider_authorization_id,
    }));
  }

  private async readCharges(orderIds: string[]): Promise<ProviderCharge[]> {
    const { rows } = await this.query<{ id: string; order_reference: string; amount_minor: string; status: string }>(
      'payment_provider',
      'SELECT id, order_reference, amount_minor, status FROM authorizations WHERE order_reference = ANY($1::text[])',
      [orderIds],
    );
    return rows.map((row) => ({ id: row.id, orderReference: row.order_reference, amountMinor: Number(row.amount_minor), status: row.status }));
  }

  /**
   * Every service database that has an outbox table (orders and billing publish through one). The
   * run's rows are its orders' in orders, and its orders' payments' in billing (aggregate: the payment).
   */
  private async readOutboxes(orderIds: string[]): Promise<Pick<SystemLedgers, 'unpublishedOfRun' | 'unpublishedTotal'>> {
    const unpublishedOfRun: Record<string, number> = {};
    const unpublishedTotal: Record<string, number> = {};
    for (const database of DATABASES) {
      const { rows } = await this.query<{ present: boolean }>(database, "SELECT to_regclass('public.outbox') IS NOT NULL AS present");
      if (!rows[0]?.present) continue;
      const runAggregates =
        database === 'billing' ? 'aggregate_id IN (SELECT payment_id::text FROM payments WHERE order_id = ANY($1::uuid[]))' : 'aggregate_id = ANY($1::text[])';
      const counts = await this.query<{ run: string; total: string }>(
        database,
        `SELECT count(*) FILTER (WHERE ${runAggregates}) AS run, count(*) AS total FROM outbox WHERE published_at IS NULL`,
        [orderIds],
      );
      unpublishedOfRun[database] = Number(counts.rows[0]?.run ?? 0);
      unpublishedTotal[database] = Number(counts.rows[0]?.total ?? 0);
    }
    return { unpublishedOfRun, unpublishedTotal };
  }

  private async readProcessed(orderIds: string[]): Promise<Record<string, number>> {
    const processed: Record<string, number> = {};
    for (const { consumer, database } of ORDER_EVENT_CONSUMERS) {
      const { rows } = await this.query<{ count: string }>(
        database,
        "SELECT count(*) FROM inbox WHERE consumer = $1 AND aggregate_type = 'order' AND aggregate_id = ANY($2::text[])",
        [consumer, orderIds],
      );
      processed[consumer] = Number(rows[0]?.count ?? 0);
    }
    return processed;
  }

  /** The "we have your order" e-mails recorded per order: one per applied `orders.order.placed`. */
  private async readNotifications(orderIds: string[]): Promise<Map<string, number>> {
    const { rows } = await this.query<{ order_id: string; count: string }>(
      'notifications',
      `SELECT order_id::text, count(*) FROM notifications WHERE order_id = ANY($1::uuid[]) AND kind = 'order-placed' GROUP BY order_id`,
      [orderIds],
    );
    return new Map(rows.map((row) => [row.order_id, Number(row.count)]));
  }

  private async readBillingOrders(orderIds: string[]): Promise<Map<string, { status: string; version: number }>> {
    const { rows } = await this.query<{ order_id: string; status: string; version: number }>(
      'billing',
      'SELECT order_id::text, status, version FROM billing_orders WHERE order_id = ANY($1::uuid[])',
      [orderIds],
    );
    return new Map(rows.map((row) => [row.order_id, { status: row.status, version: row.version }]));
  }

  /** The ordering guard's last applied sequence per order, in each consumer's own database (OrderingGuard). */
  private async readCheckpoints(orderIds: string[]): Promise<Record<string, Map<string, number>>> {
    const checkpoints: Record<string, Map<string, number>> = {};
    for (const { consumer, database } of ORDER_EVENT_CONSUMERS) {
      const { rows } = await this.query<{ aggregate_id: string; last_sequence: number }>(
        database,
        'SELECT aggregate_id, last_sequence FROM ordering_checkpoints WHERE consumer = $1 AND aggregate_type = $2 AND aggregate_id = ANY($3::text[])',
        [consumer, ORDER_AGGREGATE, orderIds],
      );
      checkpoints[consumer] = new Map(rows.map((row) => [row.aggregate_id, row.last_sequence]));
    }
    return checkpoints;
  }

  /** The run's slice of the order events topic and of each consumer's dead-letter topic, kept to the run's orders. */
  private async readTopics(orderIds: string[]): Promise<Pick<SystemLedgers, 'published' | 'deadLetters'>> {
    const run = new Set(orderIds);
    const records = await readTopicsSince(this.kafka, this.topicStarts, TOPIC_READ_TIMEOUT_MS);
    const published = new Map<string, PublishedOrderEvent[]>();
    const deadLetters: RunDeadLetter[] = [];
    for (const record of records) {
      const envelope = envelopeOf(record);
      // The relay keys each record by its aggregate id; a dead letter keeps the original key and value.
      const orderId = envelope?.aggregateType === ORDER_AGGREGATE ? envelope.aggregateId : (record.key ?? undefined);
      if (orderId === undefined || !run.has(orderId)) continue;
      if (record.topic === ORDER_EVENTS_TOPIC) {
        if (envelope === undefined) continue;
        const events = published.get(orderId) ?? [];
        events.push({ partition: record.partition, offset: BigInt(record.offset), sequence: envelope.sequence, eventId: envelope.eventId });
        published.set(orderId, events);
      } else {
        const consumer = ORDER_EVENT_CONSUMERS.find((candidate) => deadLetterTopicOf(candidate.consumer) === record.topic)?.consumer ?? record.topic;
        deadLetters.push({ consumer, orderId, reason: record.headers[DEAD_LETTER_HEADERS.reason] ?? 'no reason header' });
      }
    }
    return { published, deadLetters };
  }

  /** Billing's captured events per order, from its outbox (aggregate: the payment), joined to the payment's order. */
  private async readReceipts(orderIds: string[]): Promise<Map<string, string[]>> {
    const { rows } = await this.query<{ order_id: string; event_id: string }>(
      'billing',
      `SELECT p.order_id::text, o.event_id::text FROM outbox o JOIN payments p ON p.payment_id::text = o.aggregate_id
        WHERE o.aggregate_type = $1 AND o.event_type = $2 AND p.order_id = ANY($3::uuid[]) ORDER BY o.id`,
      [PAYMENT_AGGREGATE, PAYMENT_CAPTURED, orderIds],
    );
    const receipts = new Map<string, string[]>();
    for (const row of rows) receipts.set(row.order_id, [...(receipts.get(row.order_id) ?? []), row.event_id]);
    return receipts;
  }

  /**
   * The provider's refunds per order: each keyed refund request it answered 200 (its request ledger,
   * one row per key; a retry with the same key replays the row, a second key would be a second row).
   */
  private async readProviderRefunds(orderIds: string[]): Promise<Map<string, number>> {
    const { rows } = await this.query<{ order_reference: string; count: string }>(
      'payment_provider',
      `SELECT response_body->>'orderReference' AS order_reference, count(*) FROM idempotent_requests
        WHERE operation = 'refund' AND status = 'succeeded' AND response_status = 200 AND response_body->>'orderReference' = ANY($1::text[])
        GROUP BY 1`,
      [orderIds],
    );
    return new Map(rows.map((row) => [row.order_reference, Number(row.count)]));
  }

  private async countWorkflows(orderIds: string[]): Promise<number> {
    const wanted = new Set(orderIds.map((orderId) => `order-${orderId}`));
    const seen = new Set<string>();
    for await (const workflow of this.temporal.workflow.list({ query: `TaskQueue = '${this.taskQueue}'` })) {
      if (wanted.has(workflow.workflowId)) seen.add(workflow.workflowId);
    }
    // Another orders process with the saga on (a suite running meanwhile) shares the starter's consumer
    // group and may have started some on its own queue: the workflow id is what makes it one per order.
    for (const workflowId of wanted) {
      if (seen.has(workflowId)) continue;
      const exists = await this.temporal.workflow.getHandle(workflowId).describe().then(
        () => true,
        () => false,
      );
      if (exists) seen.add(workflowId);
    }
    return seen.size;
  }

  private query<Row extends pg.QueryResultRow>(database: Database, text: string, values: unknown[] = []): Promise<pg.QueryResult<Row>> {
    const pool = this.pools.get(database);
    if (!pool) throw new Error(`no pool for ${database}`);
    return pool.query<Row>(text, values);
  }
}

/** The envelope fields the checks need, from a record's JSON value; undefined for a value that is not one. */
function envelopeOf(record: StoredRecord): { aggregateType: string; aggregateId: string; sequence: number; eventId: string } | undefined {
  try {
    const value = JSON.parse(record.value) as Record<string, unknown>;
    const { aggregateType, aggregateId, sequence, eventId } = value;
    if (typeof aggregateType !== 'string' || typeof aggregateId !== 'string' || typeof sequence !== 'number' || typeof eventId !== 'string') return undefined;
    return { aggregateType, aggregateId, sequence, eventId };
  } catch {
    return undefined;
  }
}

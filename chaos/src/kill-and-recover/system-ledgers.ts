import pg from 'pg';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { ORDER_CANCELLED, ORDER_PAID, ORDER_PLACED, ORDER_REJECTED } from '@faultline/shared/contracts';
import { readFaultlineEnvironment } from '@faultline/shared/config';

/** Each order of the run as the orders event store tells it. */
export interface OrderOutcome {
  orderId: string;
  events: number;
  placed: boolean;
  terminal: 'paid' | 'rejected' | 'cancelled' | undefined;
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

/** What every ledger of the system says about the run's orders, read straight from the primary. */
export interface SystemLedgers {
  orders: Map<string, OrderOutcome>;
  payments: BillingPayment[];
  charges: ProviderCharge[];
  /** Outbox rows of the run's aggregates not yet published, per database that has an outbox. */
  unpublishedOfRun: Record<string, number>;
  /** Every unpublished row in those tables, other suites' included (context only). */
  unpublishedTotal: Record<string, number>;
  /** Rows of the run's aggregates marked published before the row of the sequence before them (article 4). */
  publishedOutOfOrder: number;
  /** Inbox rows for the run's orders, per consumer. */
  processed: Record<string, number>;
  /** The saga's workflows for the run's orders (`order-<orderId>` on the run's task queue). */
  workflows: number;
}

/** The consumers of the order events and the database each keeps its inbox in. */
export const ORDER_EVENT_CONSUMERS = [
  { consumer: 'billing-orders', database: 'billing' },
  { consumer: 'notifications-orders', database: 'notifications' },
  { consumer: 'orders-fulfilment', database: 'orders' },
] as const;

const DATABASES = ['orders', 'billing', 'notifications', 'payment_provider'] as const;
type Database = (typeof DATABASES)[number];

/**
 * Reads the ledgers as the superuser, directly on the primary (not through Toxiproxy: the run's own
 * cuts, and other suites', must not blind the checker). Each database is its service's own; the
 * provider's is the customer's card statement.
 */
export class SystemLedgerReader {
  private constructor(
    private readonly pools: Map<Database, pg.Pool>,
    private readonly temporal: TemporalClient,
    private readonly temporalConnection: Connection,
    private readonly taskQueue: string,
  ) {}

  static async open(taskQueue: string): Promise<SystemLedgerReader> {
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
    return new SystemLedgerReader(pools, temporal, temporalConnection, taskQueue);
  }

  async read(orderIds: string[]): Promise<SystemLedgers> {
    const [orders, payments, charges, outboxes, processed, workflows] = await Promise.all([
      this.readOrders(orderIds),
      this.readPayments(orderIds),
      this.readCharges(orderIds),
      this.readOutboxes(orderIds),
      this.readProcessed(orderIds),
      this.countWorkflows(orderIds),
    ]);
    return { orders, payments, charges, ...outboxes, processed, workflows };
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.end()));
    await this.temporalConnection.close();
  }

  private async readOrders(orderIds: string[]): Promise<Map<string, OrderOutcome>> {
    const { rows } = await this.query<{ stream_id: string; events: string; placed: boolean; paid: Date | null; rejected: Date | null; cancelled: Date | null }>(
      'orders',
      `SELECT stream_id, count(*) AS events,
              bool_or(type = $2) AS placed,
              max(occurred_at) FILTER (WHERE type = $3) AS paid,
              max(occurred_at) FILTER (WHERE type = $4) AS rejected,
              max(occurred_at) FILTER (WHERE type = $5) AS cancelled
         FROM events WHERE stream_type = 'order' AND stream_id = ANY($1::text[]) GROUP BY stream_id`,
      [orderIds, ORDER_PLACED, ORDER_PAID, ORDER_REJECTED, ORDER_CANCELLED],
    );
    const outcomes = new Map<string, OrderOutcome>();
    for (const row of rows) {
      const terminal = row.paid ? 'paid' : row.rejected ? 'rejected' : row.cancelled ? 'cancelled' : undefined;
      const terminalAt = row.paid ?? row.rejected ?? row.cancelled ?? undefined;
      outcomes.set(row.stream_id, { orderId: row.stream_id, events: Number(row.events), placed: row.placed, terminal, terminalAt });
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

  /** Every service database that has an outbox table (today only orders publishes through one). */
  private async readOutboxes(orderIds: string[]): Promise<Pick<SystemLedgers, 'unpublishedOfRun' | 'unpublishedTotal' | 'publishedOutOfOrder'>> {
    const unpublishedOfRun: Record<string, number> = {};
    const unpublishedTotal: Record<string, number> = {};
    let publishedOutOfOrder = 0;
    for (const database of DATABASES) {
      const { rows } = await this.query<{ present: boolean }>(database, "SELECT to_regclass('public.outbox') IS NOT NULL AS present");
      if (!rows[0]?.present) continue;
      const counts = await this.query<{ run: string; total: string }>(
        database,
        'SELECT count(*) FILTER (WHERE aggregate_id = ANY($1::text[])) AS run, count(*) AS total FROM outbox WHERE published_at IS NULL',
        [orderIds],
      );
      unpublishedOfRun[database] = Number(counts.rows[0]?.run ?? 0);
      unpublishedTotal[database] = Number(counts.rows[0]?.total ?? 0);
      // The relay hand-over must keep each aggregate's order: the standby resumes at the oldest unmarked row.
      const overtaken = await this.query<{ count: string }>(
        database,
        `SELECT count(*) FROM outbox earlier JOIN outbox later
            ON later.aggregate_type = earlier.aggregate_type AND later.aggregate_id = earlier.aggregate_id
           AND later.sequence = earlier.sequence + 1
         WHERE earlier.aggregate_id = ANY($1::text[]) AND later.published_at < earlier.published_at`,
        [orderIds],
      );
      publishedOutOfOrder += Number(overtaken.rows[0]?.count ?? 0);
    }
    return { unpublishedOfRun, unpublishedTotal, publishedOutOfOrder };
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

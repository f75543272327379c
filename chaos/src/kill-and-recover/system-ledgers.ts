import { Client as TemporalClient, Connection } from '@temporalio/client';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import type { KafkaClient } from '@faultline/shared/messaging';
import { readBillingOrders, readCheckpoints, readNotifications, readProcessed } from './ledgers/consumer-ledgers.js';
import { LedgerDatabases } from './ledgers/ledger-databases.js';
import { readCharges, readPayments, readProviderRefunds, readReceipts } from './ledgers/money-ledgers.js';
import { readOrders } from './ledgers/order-streams.js';
import { readOutboxes } from './ledgers/outboxes.js';
import { readRunTopics } from './ledgers/run-topics.js';
import { countWorkflows } from './ledgers/saga-workflows.js';
import type { Mailbox, ReceivedEmail } from './mailbox.js';
import type { PartitionStarts } from './topic-slice.js';

export { ORDER_EVENT_CONSUMERS, RUN_TOPICS, deadLetterTopicOf } from './ledgers/order-event-consumers.js';

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

/**
 * Reads what every ledger of the system says about the run's orders: the services' databases on the
 * primary, Temporal, MailDev, and the topics from where they ended when the run started
 * (`topicStarts`), so only the run's records are read.
 */
export class SystemLedgerReader {
  private constructor(
    private readonly databases: LedgerDatabases,
    private readonly temporal: TemporalClient,
    private readonly temporalConnection: Connection,
    private readonly taskQueue: string,
    private readonly kafka: KafkaClient,
    private readonly topicStarts: ReadonlyMap<string, PartitionStarts>,
    private readonly mailbox: Mailbox,
  ) {}

  static async open(taskQueue: string, kafka: KafkaClient, topicStarts: ReadonlyMap<string, PartitionStarts>, mailbox: Mailbox): Promise<SystemLedgerReader> {
    const env = readFaultlineEnvironment();
    const databases = LedgerDatabases.open();
    const temporalConnection = await Connection.connect({ address: `127.0.0.1:${env.TEMPORAL_PORT ?? '17233'}` });
    const temporal = new TemporalClient({ connection: temporalConnection, namespace: env.TEMPORAL_NAMESPACE ?? 'default' });
    return new SystemLedgerReader(databases, temporal, temporalConnection, taskQueue, kafka, topicStarts, mailbox);
  }

  /** Everything the invariants look at for `orderIds`, with the e-mails MailDev received for `addresses`. */
  async read(orderIds: string[], addresses: ReadonlySet<string>): Promise<SystemLedgers> {
    const { databases } = this;
    const [orders, payments, charges, outboxes, processed, notifications, billingOrders, checkpoints, topics, workflows, receipts, providerRefunds, emails] = await Promise.all([
      readOrders(databases, orderIds),
      readPayments(databases, orderIds),
      readCharges(databases, orderIds),
      readOutboxes(databases, orderIds),
      readProcessed(databases, orderIds),
      readNotifications(databases, orderIds),
      readBillingOrders(databases, orderIds),
      readCheckpoints(databases, orderIds),
      readRunTopics(this.kafka, this.topicStarts, orderIds),
      countWorkflows(this.temporal, this.taskQueue, orderIds),
      readReceipts(databases, orderIds),
      readProviderRefunds(databases, orderIds),
      this.mailbox.receivedBy(addresses),
    ]);
    return { orders, payments, charges, ...outboxes, processed, notifications, billingOrders, checkpoints, ...topics, workflows, receipts, providerRefunds, emails };
  }

  async close(): Promise<void> {
    await this.databases.close();
    await this.temporalConnection.close();
  }
}

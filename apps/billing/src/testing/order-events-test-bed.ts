import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { readFaultlineEnvironment } from '@faultline/shared/config';
import type { EventEnvelope } from '@faultline/shared/contracts';
import {
  KafkaClient,
  type EventConsumerOptions,
  type EventConsumerTransport,
  type OrderedProducer,
  type TopicWatcher,
} from '@faultline/shared/messaging';
import { ServiceMetrics } from '@faultline/shared/observability';
import { startService, type RunningService } from '@faultline/shared/service-defaults';
import { eventually, metricValue, requireReachable } from '@faultline/shared/testing';
import { AppModule } from '../app.module.js';
import { loadBillingSettings } from '../config.js';
import { customerFetch, stopTestIssuer, tokenEnvironment } from './test-tokens.js';

const env = readFaultlineEnvironment();

/** How a suite starts billing on its bed, beyond the topic and consumer every bed gives it. */
export interface OrderEventsBilling {
  /** Partitions of the bed's topic. */
  partitions: number;
  /** Environment over the Faultline one, e.g. a log level other than `error` or a task queue of the suite's own. */
  environment?: Record<string, string>;
  /** What the consumer does besides reading the bed's topic under the bed's name: a hold bound, a failure policy. */
  consumer?: Omit<EventConsumerOptions, 'name' | 'topics'>;
  /**
   * The port of a PostgreSQL proxy the suite made and checked itself, so cutting it touches no
   * other suite; billing's shared Toxiproxy proxy, checked here, unless given.
   */
  databasePort?: number;
  /** Further dependencies to find reachable before billing starts, by name, e.g. `{ Temporal: port }`. */
  alsoReachable?: Record<string, number>;
  /** Watches the consumer's dead-letter topic from before the first event, for `deadLetters`. */
  watchDeadLetters?: boolean;
}

/** What `start` has got up and running so far, for the getters and for `stop`. */
interface Started {
  service?: RunningService;
  consumer?: EventConsumerTransport;
  kafka?: KafkaClient;
  producer?: OrderedProducer;
  deadLetters?: TopicWatcher;
}

/**
 * The real billing AppModule, PostgreSQL and Kafka, with billing's order-events consumer reading a
 * topic of the suite's own, so other tests' orders.order.events traffic never reaches it and the
 * suite's events reach no other billing. Events are produced to that topic directly. Call `start`
 * in `before` and `stop` in `after`; the helpers are arrow functions, so a suite may destructure them.
 */
export class OrderEventsTestBed {
  /** This run's suffix: on the topic and consumer, and for the suite's correlation ids. */
  readonly run = randomUUID().slice(0, 8);
  /** The customer the suite's orders belong to unless a test makes its own; its token reads billing's copies. */
  readonly customerId = randomUUID();
  readonly topic: string;
  /** The consumer's name, its consumer group and its label on the metrics. */
  readonly consumerName: string;
  private started?: Started;

  /** `suite` names the topic (`test.billing.<suite>.<run>`) and the consumer (`billing-<suite>-test-<run>`). */
  constructor(suite: string) {
    this.topic = `test.billing.${suite}.${this.run}`;
    this.consumerName = `billing-${suite}-test-${this.run}`;
  }

  async start(billing: OrderEventsBilling): Promise<void> {
    const started: Started = {};
    this.started = started;
    if (billing.databasePort === undefined) {
      await requireReachable('PostgreSQL for billing (through Toxiproxy)', Number(env.TOXIPROXY_BILLING_PG_PORT));
    }
    await requireReachable('Kafka (through Toxiproxy)', Number(env.TOXIPROXY_KAFKA_PORT));
    for (const [what, port] of Object.entries(billing.alsoReachable ?? {})) await requireReachable(what, port);
    const settings = loadBillingSettings({ ...env, LOG_LEVEL: 'error', ...billing.environment, ...(await tokenEnvironment()) });
    settings.http.port = 0;
    if (billing.databasePort !== undefined) settings.database.port = billing.databasePort;
    settings.orderEvents = { ...billing.consumer, name: this.consumerName, topics: [this.topic] };
    const kafka = (started.kafka = new KafkaClient(settings.kafka, this.consumerName, pino({ level: 'silent' })));
    await kafka.ensureTopics([{ topic: this.topic, numPartitions: billing.partitions }]);
    started.producer = kafka.createOrderedProducer();
    started.service = await startService(settings, AppModule.forRoot(settings));
    const [consumer] = started.service.consumers;
    assert.ok(consumer, 'billing declares its order-events consumer');
    started.consumer = consumer;
    await consumer.whenConsuming();
    if (billing.watchDeadLetters) started.deadLetters = await kafka.watchTopic(consumer.deadLetterTopic);
  }

  /** Stops billing, then Kafka, then the token issuer; whatever `start` got to before it failed. */
  async stop(): Promise<void> {
    await this.started?.service?.app.close();
    await this.started?.kafka?.disconnect();
    await stopTestIssuer();
  }

  get service(): RunningService {
    return this.part('service');
  }
  get consumer(): EventConsumerTransport {
    return this.part('consumer');
  }
  get kafka(): KafkaClient {
    return this.part('kafka');
  }
  get producer(): OrderedProducer {
    return this.part('producer');
  }
  /** What the consumer dead-lettered since it started; a bed started with `watchDeadLetters` only. */
  get deadLetters(): TopicWatcher {
    return this.part('deadLetters');
  }

  /** One record on the bed's topic: an envelope as JSON, or a string as it is (a malformed record). */
  readonly produce = (key: string, value: EventEnvelope | string) =>
    this.producer.send(this.topic, [{ key, value: typeof value === 'string' ? value : JSON.stringify(value) }]);

  /** The envelopes one after the other, each keyed by its aggregate, as the orders service publishes them. */
  readonly publish = async (events: EventEnvelope[]) => {
    for (const event of events) await this.produce(event.aggregateId, event);
  };

  /** Billing's copy of an order as the bed's customer reads it; undefined while there is none. */
  readonly order = async (orderId: string) => {
    const response = await customerFetch(this.customerId)(`${this.service.url}/orders/${orderId}`);
    return response.status === 200 ? ((await response.json()) as Record<string, unknown>) : undefined;
  };

  readonly metric = (name: string, labels: Record<string, string>) => metricValue(this.service.app.get(ServiceMetrics).registry, name, labels);

  /**
   * Waits until the consumer group has committed every record of `topic` written so far: after
   * that, each of them has been applied, found a duplicate or dead-lettered, and nothing is in flight.
   */
  readonly consumedUpToEnd = async (topic = this.topic) => {
    const ends = new Map((await this.kafka.partitionProgress(topic, this.consumerName)).map((p) => [p.partition, p.end]));
    await eventually(
      async () =>
        (await this.kafka.partitionProgress(topic, this.consumerName)).every((p) => p.committed >= (ends.get(p.partition) ?? 0n)) ? true : undefined,
      { timeoutMs: 30_000, what: `${this.consumerName} committed up to the end of ${topic}` },
    );
  };

  /** How many records `topic` holds, over all its partitions. */
  readonly endOffset = async (topic: string) =>
    (await this.kafka.partitionProgress(topic, this.consumerName)).reduce((sum, p) => sum + p.end, 0n);

  private part<K extends keyof Started>(name: K): NonNullable<Started[K]> {
    const part = this.started?.[name];
    if (part === undefined) {
      throw new Error(`The order-events test bed has no ${name}: call start() in before()${name === 'deadLetters' ? ' with watchDeadLetters' : ''}.`);
    }
    return part as NonNullable<Started[K]>;
  }
}

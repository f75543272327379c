import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../clock/index.js';
import { ServiceMetrics } from '../observability/index.js';
import { EventConsumerFactory } from './event-consumer-factory.js';
import { KafkaClient } from './kafka-client.js';
import type { KafkaSettings, TopicSpec } from './kafka-settings.js';
import { OrderedProducer } from './ordered-producer.js';

export interface MessagingOptions {
  kafka: KafkaSettings;
  /** Kafka's client id: the service name, so broker logs and quotas say who connected. */
  clientId: string;
  /** The service's build version, stamped on its consumers' dead letters. */
  version: string;
  logger: Logger;
  /** Topics this service owns; created at start-up when missing. */
  topics?: readonly TopicSpec[];
}

const MESSAGING_OPTIONS = Symbol.for('faultline.MessagingOptions');

@Injectable()
class MessagingLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly client: KafkaClient,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  // onModuleInit runs before any onApplicationBootstrap, so the topics exist before a relay starts.
  async onModuleInit(): Promise<void> {
    await this.client.ensureTopics(this.options.topics ?? []);
  }

  // After the HTTP server and the relays have stopped: nothing is left that could still publish.
  async onApplicationShutdown(): Promise<void> {
    await this.client.disconnect();
  }
}

/**
 * Provides the KafkaClient, the service's one OrderedProducer and the EventConsumerFactory
 * everywhere in the app. The factory takes the database, the metrics registry and the clock from
 * the service's other global modules (ServiceDefaultsModule).
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: KafkaClient,
          useFactory: () => new KafkaClient(options.kafka, options.clientId, options.logger),
        },
        {
          provide: OrderedProducer,
          useFactory: (client: KafkaClient) => client.createOrderedProducer(),
          inject: [KafkaClient],
        },
        {
          provide: EventConsumerFactory,
          useFactory: (kafka: KafkaClient, producer: OrderedProducer, dataSource: DataSource, metrics: ServiceMetrics, clock: Clock) =>
            new EventConsumerFactory({
              kafka,
              producer,
              dataSource,
              registry: metrics.registry,
              clock,
              logger: options.logger,
              version: options.version,
            }),
          inject: [KafkaClient, OrderedProducer, DataSource, ServiceMetrics, CLOCK],
        },
        MessagingLifecycle,
      ],
      exports: [KafkaClient, OrderedProducer, EventConsumerFactory],
    };
  }
}

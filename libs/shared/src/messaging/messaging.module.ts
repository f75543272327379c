import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { KafkaClient } from './kafka-client.js';
import type { KafkaSettings, TopicSpec } from './kafka-settings.js';
import { OrderedProducer } from './ordered-producer.js';

export interface MessagingOptions {
  kafka: KafkaSettings;
  /** Kafka's client id: the service name, so broker logs and quotas say who connected. */
  clientId: string;
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

/** Provides the KafkaClient and the service's one OrderedProducer everywhere in the app. */
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
        MessagingLifecycle,
      ],
      exports: [KafkaClient, OrderedProducer],
    };
  }
}

import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { CLOCK, SystemClock } from '../clock/index.js';
import { dataSourceOptions, type DatabaseSchema } from '../database/index.js';
import { HealthModule } from '../health/index.js';
import {
  EVENT_CONSUMERS,
  MessagingModule,
  requireAllowedConsumerOrdering,
  type EventConsumerOptions,
  type TopicSpec,
} from '../messaging/index.js';
import { ObservabilityModule, createServiceLogger, httpLoggerOptions } from '../observability/index.js';
import { ProblemDetailsModule } from '../problem-details/index.js';
import { SERVICE_LOGGER, SERVICE_SETTINGS, type ServiceSettings } from './service-settings.js';

export interface ServiceDefaultsOptions {
  settings: ServiceSettings;
  /** The service's entities and migrations, listed class by class. */
  database: DatabaseSchema;
  /** Kafka topics the service owns, created at start-up when missing. */
  topics?: readonly TopicSpec[];
  /**
   * Kafka consumers whose events go to the app's `@EventPattern` handlers through the inbox and
   * the ordering guard (see messaging/event-consumer-transport.ts); startService starts them.
   */
  consumers?: readonly EventConsumerOptions[];
}

/**
 * Everything a Faultline service has whatever its domain — the counterpart of .NET eShop's
 * ServiceDefaults: structured logs, problem+json errors, schema validation, metrics, health and
 * readiness, its database (with its own migrations), Kafka, and the clock. An app imports this once
 * in its AppModule and calls `startService` (see bootstrap-service.ts) from main.ts.
 */
@Module({})
export class ServiceDefaultsModule {
  static forRoot({ settings, database, topics, consumers = [] }: ServiceDefaultsOptions): DynamicModule {
    const { name } = settings.service;
    const logger = createServiceLogger(settings.service, settings.logLevel);
    return {
      module: ServiceDefaultsModule,
      global: true,
      imports: [
        // `useExisting`: startService mounts pino-http itself, ahead of the body parser, so even a
        // request rejected for a malformed body is logged with its request id.
        LoggerModule.forRoot({ pinoHttp: httpLoggerOptions(logger), useExisting: true }),
        ProblemDetailsModule,
        ObservabilityModule.forRoot(settings.service),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(name, settings.database, database),
          // Fail start-up after ~3 s instead of @nestjs/typeorm's default 9 tries × 3 s.
          retryAttempts: 2,
          retryDelay: 1_000,
        }),
        MessagingModule.forRoot({ kafka: settings.kafka, clientId: name, logger, topics }),
        HealthModule,
      ],
      providers: [
        { provide: SERVICE_SETTINGS, useValue: settings },
        { provide: SERVICE_LOGGER, useValue: logger },
        { provide: CLOCK, useValue: new SystemClock() },
        // Validated when the app is created: naive ordering outside workshop mode stops it there.
        { provide: EVENT_CONSUMERS, useFactory: () => consumers.map((c) => requireAllowedConsumerOrdering(name, c)) },
      ],
      exports: [SERVICE_SETTINGS, SERVICE_LOGGER, CLOCK, EVENT_CONSUMERS],
    };
  }
}

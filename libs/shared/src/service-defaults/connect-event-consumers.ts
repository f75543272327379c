import type { INestApplication } from '@nestjs/common';
import type { Logger as PinoLogger } from 'pino';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../clock/index.js';
import {
  ConsumerMetrics,
  EVENT_CONSUMERS,
  EventConsumerTransport,
  KafkaClient,
  OrderedProducer,
  type EventConsumerOptions,
} from '../messaging/index.js';
import { ServiceMetrics } from '../observability/index.js';
import { SERVICE_LOGGER, SERVICE_SETTINGS, type ServiceSettings } from './service-settings.js';

/**
 * Connects each consumer the app declared (ServiceDefaultsModule's `consumers`) as a microservice of
 * the app, so its controllers' `@EventPattern` handlers receive events through the consuming
 * pipeline, and starts them. Handlers get the app's enhancers (`inheritAppConfig`), as HTTP ones do.
 */
export async function connectEventConsumers(app: INestApplication): Promise<EventConsumerTransport[]> {
  const declared = app.get<readonly EventConsumerOptions[]>(EVENT_CONSUMERS);
  if (declared.length === 0) return [];
  const settings = app.get<ServiceSettings>(SERVICE_SETTINGS);
  const dependencies = {
    kafka: app.get(KafkaClient),
    producer: app.get(OrderedProducer),
    dataSource: app.get(DataSource),
    metrics: new ConsumerMetrics(app.get(ServiceMetrics).registry),
    clock: app.get<Clock>(CLOCK),
    logger: app.get<PinoLogger>(SERVICE_LOGGER),
    version: settings.service.version,
  };
  const transports = declared.map((options) => new EventConsumerTransport(options, dependencies));
  for (const strategy of transports) app.connectMicroservice({ strategy }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  return transports;
}

import type { INestApplication } from '@nestjs/common';
import { EVENT_CONSUMERS, EventConsumerFactory, type EventConsumerOptions, type EventConsumerTransport } from '../messaging/index.js';

/**
 * Connects each consumer the app declared (ServiceDefaultsModule's `consumers`) as a microservice of
 * the app, so its controllers' `@EventPattern` handlers receive events through the consuming
 * pipeline, and starts them. Handlers get the app's enhancers (`inheritAppConfig`), as HTTP ones do.
 */
export async function connectEventConsumers(app: INestApplication): Promise<EventConsumerTransport[]> {
  const declared = app.get<readonly EventConsumerOptions[]>(EVENT_CONSUMERS);
  if (declared.length === 0) return [];
  const factory = app.get(EventConsumerFactory);
  const transports = declared.map((options) => factory.create(options));
  for (const strategy of transports) app.connectMicroservice({ strategy }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  return transports;
}

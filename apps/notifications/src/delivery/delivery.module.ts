import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { CLOCK, type Clock } from '@faultline/shared/clock';
import { ServiceMetrics } from '@faultline/shared/observability';
import { createDependencyPipeline } from '@faultline/shared/resilience';
import { SERVICE_LOGGER } from '@faultline/shared/service-defaults';
import type { DeliverySettings } from './delivery-settings.js';
import { DELIVERY_SETTINGS, NotificationSender } from './notification-sender.js';
import { SMTP_DEPENDENCY, SmtpMailer } from './smtp-mailer.js';

/** The delivery outbox's sender and the SMTP client under its ONE circuit breaker (article 1). */
@Module({})
export class DeliveryModule {
  static forRoot(settings: DeliverySettings): DynamicModule {
    return {
      module: DeliveryModule,
      providers: [
        { provide: DELIVERY_SETTINGS, useValue: settings },
        {
          provide: SmtpMailer,
          inject: [ServiceMetrics, SERVICE_LOGGER, CLOCK],
          useFactory: (metrics: ServiceMetrics, logger: Logger, clock: Clock) =>
            new SmtpMailer(
              settings,
              createDependencyPipeline({ dependency: SMTP_DEPENDENCY, policy: settings.policy, registry: metrics.registry, logger, clock }),
            ),
        },
        NotificationSender,
      ],
      exports: [NotificationSender],
    };
  }
}

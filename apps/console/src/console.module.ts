import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { KafkaClient } from '@faultline/shared/messaging';
import { ObservabilityModule, createServiceLogger, httpLoggerOptions } from '@faultline/shared/observability';
import { ProblemDetailsModule } from '@faultline/shared/problem-details';
import type { ConsoleSettings } from './config.js';
import { CONSOLE_LOGGER, CONSOLE_SETTINGS } from './console-tokens.js';
import { ConsumerGroupsController } from './consumer-groups/consumer-groups.controller.js';
import { DeadLetterWatch } from './dead-letters/dead-letter-watch.js';
import { DeadLettersController } from './dead-letters/dead-letters.controller.js';
import { EventFlowController } from './event-flow/event-flow.controller.js';
import { EventFlow } from './event-flow/event-flow.js';
import { LinkSwitchesController } from './fault-switches/link-switches.controller.js';
import { ProviderFaultsController } from './fault-switches/provider-faults.controller.js';
import { HealthController } from './health/health.controller.js';
import { BreakerWatch } from './breakers/breaker-watch.js';
import { BreakersController } from './breakers/breakers.controller.js';
import { ScenarioRunner } from './scenario-runs/scenario-runner.js';
import { ScenarioRunsController } from './scenario-runs/scenario-runs.controller.js';
import { CustomerSessionController } from './customer-session/customer-session.controller.js';
import { CustomerSessions } from './customer-session/customer-sessions.js';
import { BillingRunsController } from './billing-runs/billing-runs.controller.js';
import { BillingRunsWatch } from './billing-runs/billing-runs-watch.js';
import { ConsoleTemporal } from './temporal/console-temporal.js';
import { ClocksController } from './clocks/clocks.controller.js';
import { SignalsController } from './signals/signals.controller.js';
import { ReplicaController } from './replica-reads/replica.controller.js';
import { ServiceMetrics } from './service-metrics/service-metrics.js';
import { OrderTimelineController } from './order-timeline/order-timeline.controller.js';
import { OrderTimelineService } from './order-timeline/order-timeline.service.js';
import { TopologyController } from './topology/topology.controller.js';

/**
 * The console's backend: no database of its own and none of anyone else's. It reads the system
 * through what an operator has: the services' HTTP APIs and Kafka, in a consumer group of its own.
 */
@Module({})
export class ConsoleModule {
  static forRoot(settings: ConsoleSettings): DynamicModule {
    const logger = createServiceLogger(settings.service, settings.logLevel);
    return {
      module: ConsoleModule,
      imports: [LoggerModule.forRoot({ pinoHttp: httpLoggerOptions(logger) }), ProblemDetailsModule, ObservabilityModule.forRoot(settings.service)],
      controllers: [HealthController, TopologyController, EventFlowController, ConsumerGroupsController, OrderTimelineController, LinkSwitchesController, ProviderFaultsController, DeadLettersController, ReplicaController, BreakersController, ScenarioRunsController, CustomerSessionController, SignalsController, ClocksController, BillingRunsController],
      providers: [
        { provide: CONSOLE_SETTINGS, useValue: settings },
        { provide: CONSOLE_LOGGER, useValue: logger },
        { provide: KafkaClient, useFactory: () => new KafkaClient({ brokers: settings.kafkaBrokers }, settings.service.name, logger) },
        EventFlow,
        OrderTimelineService,
        DeadLetterWatch,
        ServiceMetrics,
        BreakerWatch,
        ScenarioRunner,
        CustomerSessions,
        ConsoleTemporal,
        BillingRunsWatch,
      ],
    };
  }
}

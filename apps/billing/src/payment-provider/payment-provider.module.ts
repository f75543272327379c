import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { CLOCK, type Clock } from '@faultline/shared/clock';
import { ServiceMetrics } from '@faultline/shared/observability';
import { createDependencyPipeline, type DependencyPipeline } from '@faultline/shared/resilience';
import { SERVICE_LOGGER } from '@faultline/shared/service-defaults';
import { HttpPaymentProvider } from './http-payment-provider.js';
import { UnkeyedPaymentProvider } from './naive-provider-calls.js';
import { PAYMENT_PROVIDER } from './payment-provider.js';
import type { PaymentProviderClientSettings } from './payment-provider-settings.js';

/** The dependency's name in metrics (`faultline_dependency_breaker_state{dependency="payment-provider"}`) and logs. */
export const PAYMENT_PROVIDER_DEPENDENCY = 'payment-provider';

/**
 * Provides PAYMENT_PROVIDER: the provider client over its ONE circuit breaker, shared by every
 * caller in the process (article 1: a breaker per request or per caller never opens). Global, so
 * importing it once in the app module is enough and a second pipeline cannot appear by accident.
 */
@Module({})
export class PaymentProviderModule {
  static forRoot(settings: PaymentProviderClientSettings): DynamicModule {
    return {
      module: PaymentProviderModule,
      global: true,
      providers: [
        {
          provide: PAYMENT_PROVIDER,
          inject: [ServiceMetrics, SERVICE_LOGGER, CLOCK],
          useFactory: (metrics: ServiceMetrics, logger: Logger, clock: Clock) =>
            paymentProviderClient(
              settings,
              createDependencyPipeline({
                dependency: PAYMENT_PROVIDER_DEPENDENCY,
                policy: settings.policy,
                mode: settings.breaker,
                registry: metrics.registry,
                logger,
                clock,
              }),
            ),
        },
      ],
      exports: [PAYMENT_PROVIDER],
    };
  }
}

/** The client BILLING_PROVIDER_CALLS asks for: keyed, or article 6's unkeyed one (naive-provider-calls.ts). */
export function paymentProviderClient(settings: PaymentProviderClientSettings, pipeline: DependencyPipeline): HttpPaymentProvider {
  return settings.calls === 'naive' ? new UnkeyedPaymentProvider(settings, pipeline) : new HttpPaymentProvider(settings, pipeline);
}

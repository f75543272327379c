import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServiceDefaultsModule } from '@faultline/shared/service-defaults';
import { Authorize } from './authorize/authorize.js';
import { AuthorizeController } from './authorize/authorize.controller.js';
import type { PaymentProviderSettings } from './config.js';
import { Authorization, entities } from './entities/index.js';
import { FaultInjectionInterceptor } from './faults/fault-injection.interceptor.js';
import { FaultSwitch } from './faults/fault-switch.js';
import { FaultsController } from './faults/faults.controller.js';
import { HeldRequests } from './faults/held-requests.js';
import { RequestLedger } from './idempotent-requests/request-ledger.js';
import { LookupRequestController } from './lookup-request/lookup-request.controller.js';
import { migrations } from './migrations/index.js';
import { ReadAuthorizationsController } from './read-authorizations/read-authorizations.controller.js';
import { ProviderStats } from './stats/provider-stats.js';
import { StatsController } from './stats/stats.controller.js';
import { TransitionAuthorization } from './transition-authorization/transition-authorization.js';
import { TransitionAuthorizationController } from './transition-authorization/transition-authorization.controller.js';

/**
 * The payment provider simulator: a stand-in for an external PSP (think Stripe PaymentIntents) with
 * its own database, whose faults the workshop switches at run time (articles 1 and 6).
 */
@Module({})
export class AppModule {
  static forRoot(settings: PaymentProviderSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [ServiceDefaultsModule.forRoot({ settings, database: { entities, migrations } }), TypeOrmModule.forFeature([Authorization])],
      controllers: [
        AuthorizeController,
        TransitionAuthorizationController,
        ReadAuthorizationsController,
        LookupRequestController,
        FaultsController,
        StatsController,
      ],
      providers: [
        Authorize,
        TransitionAuthorization,
        RequestLedger,
        ProviderStats,
        HeldRequests,
        FaultInjectionInterceptor,
        // One switch for the whole process: every request sees the faults the last PUT set.
        { provide: FaultSwitch, useFactory: () => new FaultSwitch() },
      ],
    };
  }
}

import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceDefaultsModule } from '@faultline/shared/service-defaults';
import { CustomerAccounts } from './accounts/customer-accounts.js';
import { DemoAccountSeeder } from './accounts/demo-account-seeder.js';
import { SignUpController } from './accounts/sign-up.controller.js';
import type { IdentitySettings } from './config.js';
import { entities } from './entities/index.js';
import { LoginController } from './login/login.controller.js';
import { migrations } from './migrations/index.js';
import { ExpiredOidcStateSweeper } from './oidc/expired-state-sweeper.js';
import { OidcEndpointsController } from './oidc/oidc-endpoints.controller.js';
import { OidcProviderHost } from './oidc/oidc-provider-host.js';

/**
 * The identity provider: an OpenID Provider (oidc-provider) for Faultline's customers and services,
 * with its accounts, OAuth state and signing keys in its own database (ADR 0015).
 */
@Module({})
export class AppModule {
  static forRoot(settings: IdentitySettings): DynamicModule {
    return {
      module: AppModule,
      imports: [ServiceDefaultsModule.forRoot({ settings, database: { entities, migrations } })],
      controllers: [SignUpController, LoginController, OidcEndpointsController],
      providers: [CustomerAccounts, DemoAccountSeeder, OidcProviderHost, ExpiredOidcStateSweeper],
    };
  }
}

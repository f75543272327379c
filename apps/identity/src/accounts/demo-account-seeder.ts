import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { SERVICE_LOGGER, SERVICE_SETTINGS } from '@faultline/shared/service-defaults';
import type { IdentitySettings } from '../config.js';
import { CustomerAccounts, EmailTakenError } from './customer-accounts.js';
import { DEMO_ACCOUNTS } from './demo-accounts.js';

/** Creates each demo account that does not exist yet; an existing one (or its password) is left alone. */
@Injectable()
export class DemoAccountSeeder implements OnApplicationBootstrap {
  constructor(
    private readonly accounts: CustomerAccounts,
    @Inject(SERVICE_SETTINGS) private readonly settings: IdentitySettings,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.settings.identity.demoAccounts) return;
    for (const { customerId, email, password } of DEMO_ACCOUNTS) {
      if (await this.accounts.findByEmail(email)) continue;
      try {
        await this.accounts.signUp(email, password, customerId);
        this.logger.info({ customerId, email }, 'seeded demo account');
      } catch (error) {
        // A second replica starting at the same moment seeded it first.
        if (!(error instanceof EmailTakenError)) throw error;
      }
    }
  }
}

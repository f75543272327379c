import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Provider from 'oidc-provider';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { SERVICE_LOGGER, SERVICE_SETTINGS } from '@faultline/shared/service-defaults';
import { CustomerAccounts } from '../accounts/customer-accounts.js';
import type { IdentitySettings } from '../config.js';
import { SigningKeyStore, type StoredSigningKey } from '../signing-keys/signing-key-store.js';
import { providerConfiguration } from './provider-configuration.js';

/**
 * Holds the running oidc-provider instance and replaces it when the published signing keys change.
 *
 * oidc-provider reads its keys once, when it is constructed. A rotation (`rotate-keys.js`) writes
 * the new key to the database; every `reloadIntervalMs` this host compares the keys that should be
 * published now (the active one first, then the retired ones still within their window) with the
 * ones it loaded, and on a difference builds a new Provider with them. All provider state is in
 * PostgreSQL and the cookie keys do not change, so a sign-in that started on the old instance
 * finishes on the new one. A retired key also leaves the JWKS this way, once its window closes.
 */
@Injectable()
export class OidcProviderHost implements OnModuleInit, OnModuleDestroy {
  private current: { provider: Provider; handle: (req: IncomingMessage, res: ServerResponse) => void; kids: string } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly keys: SigningKeyStore;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly accounts: CustomerAccounts,
    @Inject(SERVICE_SETTINGS) private readonly settings: IdentitySettings,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {
    this.keys = new SigningKeyStore(db);
  }

  async onModuleInit(): Promise<void> {
    await this.keys.ensureActiveKey();
    await this.reload();
    this.timer = setInterval(() => {
      this.reload().catch((error: unknown) => this.logger.error({ err: error }, 'reloading the signing keys failed; still using the loaded ones'));
    }, this.settings.identity.keyReloadIntervalMs).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  get provider(): Provider {
    if (!this.current) throw new Error('the OpenID provider is not started yet');
    return this.current.provider;
  }

  /** Serves one request with the current provider (the Koa app behind the OIDC routes). */
  handle(request: IncomingMessage, response: ServerResponse): void {
    if (!this.current) throw new Error('the OpenID provider is not started yet');
    this.current.handle(request, response);
  }

  /** Rebuilds the provider when the keys to publish differ from the loaded ones; true when it did. */
  async reload(): Promise<boolean> {
    const published = await this.keys.publishedKeys();
    if (published.length === 0 || published[0].retiredAt !== null) {
      throw new Error('no active signing key in signing_keys: run `node apps/identity/dist/rotate-keys.js` to create one');
    }
    const kids = published.map((key) => key.kid).join(' ');
    if (this.current?.kids === kids) return false;
    const provider = this.build(published);
    this.current = { provider, handle: provider.callback(), kids };
    this.logger.info({ signingKid: published[0].kid, publishedKids: published.map((key) => key.kid) }, 'OpenID provider loaded its signing keys');
    return true;
  }

  private build(keys: StoredSigningKey[]): Provider {
    const { identity } = this.settings;
    const provider = new Provider(
      identity.issuer,
      providerConfiguration({ settings: identity, db: this.db, accounts: this.accounts, jwks: { keys: keys.map((key) => key.privateJwk) } }),
    );
    // Errors the provider answers with a 500 would otherwise only reach the client.
    provider.on('server_error', (_ctx, error) => this.logger.error({ err: error }, 'OpenID provider error'));
    return provider;
  }
}

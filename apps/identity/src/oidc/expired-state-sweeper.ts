import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { SERVICE_LOGGER } from '@faultline/shared/service-defaults';

/** Expired rows are never read again (the adapter filters them); deleting them hourly keeps the table small. */
const SWEEP_INTERVAL_MS = 60 * 60 * 1_000;

/** Deletes expired sessions, interactions, codes and grants from `oidc_models`. */
@Injectable()
export class ExpiredOidcStateSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<number> {
    try {
      // TypeORM answers a DELETE on PostgreSQL with [returned rows, affected count].
      const [, deleted]: [unknown, number] = await this.db.query(`DELETE FROM oidc_models WHERE expires_at < now()`);
      if (deleted > 0) this.logger.debug({ deleted }, 'deleted expired OIDC state');
      return deleted;
    } catch (error) {
      // A failed sweep changes nothing a client sees; the next one catches up.
      this.logger.warn({ err: error }, 'sweeping expired OIDC state failed');
      return 0;
    }
  }
}

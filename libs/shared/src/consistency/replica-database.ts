import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from '../database/index.js';

/**
 * The second connection pool of a service: to the hot-standby streaming replica, read-only, never
 * migrated (the replica replays the primary's migrations with the rest of the WAL). Connected
 * lazily and reconnected after a failure, so a replica that is down at start-up or goes away later
 * only sends reads to the primary instead of stopping the service (article 7).
 */
@Injectable()
export class ReplicaDatabase implements OnModuleDestroy {
  private connecting: Promise<DataSource> | undefined;

  constructor(private readonly options: PostgresDataSourceOptions) {}

  dataSource(): Promise<DataSource> {
    this.connecting ??= new DataSource({ ...this.options, migrations: [], migrationsRun: false }).initialize().catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  async onModuleDestroy(): Promise<void> {
    const dataSource = await this.connecting?.catch(() => undefined);
    this.connecting = undefined;
    await dataSource?.destroy();
  }
}

import { Module, type DynamicModule } from '@nestjs/common';
import { dataSourceOptions, type DatabaseSchema, type PostgresDataSourceOptions } from '../database/index.js';
import { ReplicaDatabase } from './replica-database.js';
import { REPLICA_READ_OPTIONS, ReplicaLagSampler } from './replica-lag-sampler.js';
import { readReplicaAlways } from './naive-replica-reads.js';
import { requireAllowedReplicaReads, type ReplicaReadOptions } from './replica-read-options.js';
import { ReplicaReadRouter } from './replica-read-router.js';
import { ROUTE_DECIDER, decideRoute } from './replica-routing-decision.js';
import { ReplicaTokenInterceptor } from './replica-token.interceptor.js';

export interface ReplicaReadsModuleOptions {
  /** The service's name: the replica connection's `application_name`. */
  service: string;
  options: ReplicaReadOptions;
  /** The entities the routed reads query (the replica has the primary's schema, replayed). */
  entities: DatabaseSchema['entities'];
}

/**
 * Reads routed between the primary and the streaming replica (article 7): the router, its lag
 * sampler and metrics, the replica's connection pool, and the interceptor that puts the replica
 * token on write responses. Import it in the app module next to ServiceDefaultsModule.
 */
@Module({})
export class ReplicaReadsModule {
  static forRoot({ service, options, entities }: ReplicaReadsModuleOptions): DynamicModule {
    return {
      module: ReplicaReadsModule,
      providers: [
        // Validated when the app is created: a workshop switch outside workshop mode stops it there.
        { provide: REPLICA_READ_OPTIONS, useFactory: () => requireAllowedReplicaReads(service, options) },
        { provide: ROUTE_DECIDER, useFactory: (valid: ReplicaReadOptions) => (valid.reads === 'naive' ? readReplicaAlways : decideRoute), inject: [REPLICA_READ_OPTIONS] },
        { provide: ReplicaDatabase, useValue: new ReplicaDatabase(replicaDataSourceOptions(service, options, entities)) },
        ReplicaLagSampler,
        ReplicaReadRouter,
        ReplicaTokenInterceptor,
      ],
      exports: [ReplicaReadRouter, ReplicaTokenInterceptor, ReplicaLagSampler],
    };
  }
}

/**
 * The replica pool's options: the service's usual ones, plus a client-side query timeout. A replica
 * read is a small indexed read and the routing check a one-row function call; past 2 s the replica
 * (or its link) is in trouble: a routing check that times out sends the read to the primary, and a
 * replica read that times out fails fast instead of hanging the request.
 */
function replicaDataSourceOptions(service: string, options: ReplicaReadOptions, entities: DatabaseSchema['entities']): PostgresDataSourceOptions {
  const base = dataSourceOptions(`${service}-replica-reads`, options.replica, { entities, migrations: [] });
  return { ...base, connectTimeoutMS: 2_000, extra: { ...base.extra, query_timeout: 2_000 } };
}

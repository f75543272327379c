import type { DynamicModule, InjectionToken, OnApplicationBootstrap, OnModuleDestroy, Provider, Type } from '@nestjs/common';
import { HostedWorker, type HostedWorkerOptions } from './hosted-worker.js';

/**
 * A service's Nest module for one Temporal worker, with what the worker's activities need, and the
 * starters and handlers that start its workflows beside it.
 */
export interface HostedWorkerModuleDefinition {
  /** The service's module class, e.g. `BillingRunModule`. */
  module: Type;
  imports?: NonNullable<DynamicModule['imports']>;
  controllers?: Type[];
  providers?: Provider[];
  exports?: NonNullable<DynamicModule['exports']>;
  /** The worker's options, built from the providers listed in `inject` (its activities' dependencies). */
  worker: { inject: InjectionToken[]; useFactory: (...dependencies: never[]) => HostedWorkerOptions };
}

/** Nest's lifecycle hooks for a HostedWorker: start on bootstrap, drain and stop on module destroy. */
class HostedWorkerLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(private readonly worker: HostedWorker) {}

  onApplicationBootstrap(): Promise<void> {
    return this.worker.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.worker.stop();
  }
}

/**
 * Builds the module of one hosted worker. Every hosted worker has the same lifecycle: it starts when
 * the application bootstraps (so the service is not ready until the worker polls), and drains and
 * stops when its module is destroyed, before the database and Kafka connections close.
 */
export function hostedWorkerModule({ module, imports = [], controllers = [], providers = [], exports = [], worker }: HostedWorkerModuleDefinition): DynamicModule {
  const lifecycle: Provider = {
    provide: HostedWorkerLifecycle,
    useFactory: (...dependencies: unknown[]) => new HostedWorkerLifecycle(new HostedWorker(worker.useFactory(...(dependencies as never[])))),
    inject: worker.inject,
  };
  return { module, imports, controllers, providers: [...providers, lifecycle], exports };
}

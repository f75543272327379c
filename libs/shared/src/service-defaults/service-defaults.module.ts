import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import {
  BearerTokenGuard,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  TOKEN_GUARD_DEFAULTS,
  TokenVerifier,
  remoteJwks,
  type ServiceAuthOptions,
  type TokenGuardDefaults,
} from '../auth/index.js';
import { AccessRuleGuard } from '../access-control/index.js';
import { RATE_LIMIT_GUARD, RateLimitModule } from '../abuse-limits/index.js';
import { CLOCK, SkewedClock, SystemClock, type Clock } from '../clock/index.js';
import {
  ClockAdminController,
  PeerClockProbe,
  PeerSkewMonitor,
  PeerSkewSchedule,
  TimeController,
  type ServiceClockOptions,
} from '../clock-skew/index.js';
import { dataSourceOptions, type DatabaseSchema } from '../database/index.js';
import { HealthModule } from '../health/index.js';
import {
  EVENT_CONSUMERS,
  MessagingModule,
  requireAllowedConsumerOrdering,
  type EventConsumerOptions,
  type TopicSpec,
} from '../messaging/index.js';
import { ObservabilityModule, ServiceMetrics, createServiceLogger, httpLoggerOptions } from '../observability/index.js';
import { ProblemDetailsModule } from '../problem-details/index.js';
// The one file of tracing/ that loads no OpenTelemetry package: the SDK is main.ts's to start.
import { FlushSpansOnShutdown } from '../tracing/span-flush.js';
import { SERVICE_LOGGER, SERVICE_SETTINGS, type ServiceSettings } from './service-settings.js';

export interface ServiceDefaultsOptions {
  settings: ServiceSettings;
  /** The service's entities and migrations, listed class by class. */
  database: DatabaseSchema;
  /** Kafka topics the service owns, created at start-up when missing. */
  topics?: readonly TopicSpec[];
  /**
   * Kafka consumers whose events go to the app's `@EventPattern` handlers through the inbox and
   * the ordering guard (see messaging/event-consumer-transport.ts); startService starts them.
   */
  consumers?: readonly EventConsumerOptions[];
}

/**
 * Everything a Faultline service has whatever its domain — the counterpart of .NET eShop's
 * ServiceDefaults: structured logs, problem+json errors, schema validation, metrics, health and
 * readiness, its database (with its own migrations), Kafka, the clock (skewable, watched against the
 * peers'), bearer tokens on every non-public route (article 2), and rate limits per caller (ADR
 * 0016; the size limits are the HTTP server's, see bootstrap-service.ts). An app imports this once
 * in its AppModule and calls `startService` (see bootstrap-service.ts) from service.ts.
 */
@Module({})
export class ServiceDefaultsModule {
  static forRoot({ settings, database, topics, consumers = [] }: ServiceDefaultsOptions): DynamicModule {
    const { name } = settings.service;
    const logger = createServiceLogger(settings.service, settings.logLevel);
    // The one clock of the service: the machine's, plus the workshop's skew (0 outside workshop mode).
    const clock = new SkewedClock(new SystemClock(), settings.clock?.skewMs ?? 0);
    // Without tokens (the payment provider) the rate limit guard stands alone, counting callers by address.
    const auth = settings.auth ? tokenWiring(settings.auth, clock) : { controllers: [], providers: [RATE_LIMIT_GUARD], exports: [] };
    const time = clockWiring(settings.clock, settings.auth, clock);
    return {
      module: ServiceDefaultsModule,
      global: true,
      imports: [
        // `useExisting`: startService mounts pino-http itself, ahead of the body parser, so even a
        // request rejected for a malformed body is logged with its request id.
        LoggerModule.forRoot({ pinoHttp: httpLoggerOptions(logger), useExisting: true }),
        ProblemDetailsModule,
        ObservabilityModule.forRoot(settings.service),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(name, settings.database, database),
          // Fail start-up after ~3 s instead of @nestjs/typeorm's default 9 tries × 3 s.
          retryAttempts: 2,
          retryDelay: 1_000,
        }),
        MessagingModule.forRoot({ kafka: settings.kafka, clientId: name, version: settings.service.version, logger, topics }),
        HealthModule,
        RateLimitModule.forRoot(settings.abuseLimits),
      ],
      controllers: [...time.controllers, ...auth.controllers],
      providers: [
        { provide: SERVICE_SETTINGS, useValue: settings },
        { provide: SERVICE_LOGGER, useValue: logger },
        { provide: CLOCK, useValue: clock },
        // Validated when the app is created: naive ordering outside workshop mode stops it there.
        { provide: EVENT_CONSUMERS, useFactory: () => consumers.map((c) => requireAllowedConsumerOrdering(name, c)) },
        // The last requests' spans go out after the HTTP server closes, before the process exits.
        FlushSpansOnShutdown,
        ...time.providers,
        ...auth.providers,
      ],
      exports: [SERVICE_SETTINGS, SERVICE_LOGGER, CLOCK, EVENT_CONSUMERS, ...time.exports, ...auth.exports],
    };
  }
}

interface Wiring {
  controllers: Type[];
  providers: Provider[];
  exports: NonNullable<DynamicModule['exports']>;
}

/**
 * One global guard for every route (article 2): the token verifier with the service's policy and
 * the identity provider's keys from its JWKS, then the caller's rate limit and the route's access rule.
 */
function tokenWiring(auth: ServiceAuthOptions, clock: Clock): Wiring {
  const defaults: TokenGuardDefaults = {
    enforcement: auth.enforcement,
    requirement: { audience: auth.policy.audiences, scopes: [] },
  };
  const providers: Provider[] = [
    { provide: TOKEN_GUARD_DEFAULTS, useValue: defaults },
    { provide: APP_GUARD, useClass: BearerTokenGuard },
    // Then the caller's rate limit, keyed by the token's subject, before any rule looks data up (ADR 0016).
    RATE_LIMIT_GUARD,
    // After the token, the route's rule: whose data this token may touch (object-level authorization).
    { provide: APP_GUARD, useClass: AccessRuleGuard },
    BearerTokenGuard,
    // The identity provider's keys, fetched from its JWKS and cached (remote-jwks.ts).
    { provide: TokenVerifier, useFactory: () => new TokenVerifier(auth.policy, remoteJwks(auth.keys), clock) },
  ];
  return { controllers: [], providers, exports: [TokenVerifier, BearerTokenGuard, TOKEN_GUARD_DEFAULTS] };
}

/**
 * `/time` for the peers' probes, the monitor of the peers' clocks (gauge and readiness at half the
 * token tolerance), and in workshop mode `PUT /admin/clock` (article 2).
 */
function clockWiring(options: ServiceClockOptions | undefined, auth: ServiceAuthOptions | undefined, clock: Clock): Wiring {
  if (!options) return { controllers: [TimeController], providers: [], exports: [] };
  // Half the tolerance tokens get. Naive mode's zero tolerance would make any measurable offset
  // (a millisecond) "red"; the monitor keeps the correct mode's 15 s there, so the workshop shows the
  // pitfall as it happens in production: readiness green while fresh tokens fail (article 2).
  const tolerance = auth && auth.policy.mode === 'correct' ? auth.policy.clockToleranceSeconds : DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const toleranceMs = tolerance * 1_000;
  return {
    controllers: [TimeController, ...(options.adminClock ? [ClockAdminController] : [])],
    providers: [
      {
        provide: PeerSkewMonitor,
        useFactory: (metrics: ServiceMetrics) =>
          new PeerSkewMonitor(
            Object.entries(options.peers).map(([peer, url]) => new PeerClockProbe(peer, url, clock)),
            metrics.registry,
            toleranceMs / 2,
          ),
        inject: [ServiceMetrics],
      },
      {
        provide: PeerSkewSchedule,
        useFactory: (monitor: PeerSkewMonitor) => new PeerSkewSchedule(monitor, options.probeIntervalMs),
        inject: [PeerSkewMonitor],
      },
    ],
    exports: [PeerSkewMonitor],
  };
}

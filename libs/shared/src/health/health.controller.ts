import { Controller, Get, Inject, Optional, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../access-control/access.decorator.js';
import { PeerSkewMonitor } from '../clock-skew/peer-skew-monitor.js';
import { ApiProblemResponse, ProblemDetailsException, ProblemType } from '../problem-details/index.js';
import { KafkaHealthIndicator } from './kafka.health.js';

/**
 * How long each readiness check may take. A probe that hangs is worse than one that says "no": the
 * orchestrator's own probe timeout would fire and report nothing about which dependency is stuck.
 */
const CHECK_TIMEOUT_MS = 1_500;

@ApiTags('operations')
@Access.public('probed by the orchestrator, which carries no token')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    // Present when the service watches its peers' clocks (ServiceDefaultsModule's `clock` option).
    @Optional() @Inject(PeerSkewMonitor) private readonly peerSkew?: PeerSkewMonitor,
  ) {}

  /** Liveness: the process is up and its event loop answers. No dependency is checked on purpose —
   * a database outage must not make an orchestrator restart every replica. */
  @Get('health')
  @HealthCheck()
  @ApiOkResponse({ description: 'The process is alive' })
  liveness(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /**
   * Readiness: this replica can do its work — its database answers `select 1`, Kafka answers, and
   * its clock is within half the token tolerance of its peers' (article 2).
   */
  @Get('ready')
  @HealthCheck()
  @ApiOkResponse({ description: 'The database and Kafka answer, and the clock agrees with the peers' })
  @ApiProblemResponse(503, 'A dependency is down; `checks` says which and why')
  async readiness(): Promise<HealthCheckResult> {
    const peerSkew = this.peerSkew;
    try {
      return await this.health.check([
        () => this.database.pingCheck('database').withTimeout(CHECK_TIMEOUT_MS),
        () => this.kafka.isReachable('kafka', CHECK_TIMEOUT_MS),
        ...(peerSkew ? [() => this.clockSkew(peerSkew)] : []),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      const failing = Object.entries(result.error ?? {}).map(
        ([name, check]) => `${name} (${String((check as { message?: unknown }).message ?? 'down')})`,
      );
      throw new ProblemDetailsException({
        type: ProblemType.notReady,
        title: 'Service Unavailable',
        status: 503,
        detail: `Not ready: ${failing.join(', ') || 'shutting down'}.`,
        checks: result.details,
      });
    }
  }

  /** The last probe's verdict, without probing now: readiness must answer fast (article 2). */
  private clockSkew(monitor: PeerSkewMonitor): HealthIndicatorResult<'clockSkew'> {
    const { status, detail, peers } = monitor.readiness();
    const check = this.indicators.check('clockSkew');
    return status === 'up' ? check.up({ detail, peers }) : check.down({ message: detail, peers });
  }
}

import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponse, ProblemDetailsException, ProblemType } from '../problem-details/index.js';
import { KafkaHealthIndicator } from './kafka.health.js';

/**
 * How long each readiness check may take. A probe that hangs is worse than one that says "no": the
 * orchestrator's own probe timeout would fire and report nothing about which dependency is stuck.
 */
const CHECK_TIMEOUT_MS = 1_500;

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
  ) {}

  /** Liveness: the process is up and its event loop answers. No dependency is checked on purpose —
   * a database outage must not make an orchestrator restart every replica. */
  @Get('health')
  @HealthCheck()
  @ApiOkResponse({ description: 'The process is alive' })
  liveness(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** Readiness: this replica can do its work — its database answers `select 1`, Kafka answers. */
  @Get('ready')
  @HealthCheck()
  @ApiOkResponse({ description: 'The database and Kafka answer' })
  @ApiProblemResponse(503, 'A dependency is down; `checks` says which and why')
  async readiness(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database').withTimeout(CHECK_TIMEOUT_MS),
        () => this.kafka.isReachable('kafka', CHECK_TIMEOUT_MS),
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
}

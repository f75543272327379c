import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthCheckAttempt } from '@nestjs/terminus';
import { KafkaClient } from '../messaging/index.js';

/** Kafka is "up" when the cluster answers a DescribeCluster request through our own connection. */
@Injectable()
export class KafkaHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly kafka: KafkaClient,
  ) {}

  isReachable<const Key extends string>(key: Key, timeoutMs: number): HealthCheckAttempt<Key> {
    return this.indicators
      .check(key)
      .attempt(async () => {
        const { clusterId, brokers } = await this.kafka.describeCluster();
        return { clusterId, brokers };
      })
      .withTimeout(timeoutMs);
  }
}

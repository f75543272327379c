/**
 * One relay instance in a process of its own, as a second replica of a service would run it, so a
 * test can SIGKILL it mid-batch. Configured by OUTBOX_RELAY_PROCESS (a RelayProcessConfig as JSON);
 * prints `{"relay":"leader"}` / `{"relay":"standby"}` on stdout when its leadership changes, and
 * stops gracefully on SIGTERM.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SystemClock } from '../../clock/index.js';
import { dataSourceOptions } from '../../database/index.js';
import { KafkaClient } from '../../messaging/index.js';
import { ServiceMetrics, createServiceLogger } from '../../observability/index.js';
import { OutboxRelay } from '../outbox-relay.js';
import { resolveOutboxOptions } from '../outbox-options.js';
import type { RelayProcessConfig } from './outbox-test-bed.js';

const config = JSON.parse(process.env.OUTBOX_RELAY_PROCESS ?? '') as RelayProcessConfig;
const { service } = config;
Logger.overrideLogger(['error']);

const dataSource = new DataSource({
  ...dataSourceOptions(service.name, config.database, { entities: [], migrations: [] }),
  migrationsRun: false,
});
await dataSource.initialize();
const kafka = new KafkaClient({ brokers: config.brokers }, service.name, createServiceLogger(service, 'error'));
const relay = new OutboxRelay(
  dataSource,
  kafka.createOrderedProducer(),
  new SystemClock(),
  resolveOutboxOptions({ producer: service, ...config.options }),
  new ServiceMetrics(service),
);
relay.start();

let stopping = false;
process.once('SIGTERM', () => {
  stopping = true;
});

let reported: boolean | undefined;
while (!stopping) {
  if (relay.isLeader !== reported) {
    reported = relay.isLeader;
    process.stdout.write(`${JSON.stringify({ relay: reported ? 'leader' : 'standby' })}\n`);
  }
  await sleep(5);
}
await relay.stop();
await kafka.disconnect();
await dataSource.destroy();

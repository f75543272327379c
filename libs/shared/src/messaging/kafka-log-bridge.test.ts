import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logLevel as KafkaLogLevel } from 'kafkajs';
import { createServiceLogger } from '../observability/index.js';
import { kafkaLogLevelFor, pinoLogCreator } from './kafka-log-bridge.js';

describe('kafkajs log bridge', () => {
  it("writes kafkajs's lines through the service logger, tagged, without kafkajs's own timestamp", () => {
    const lines: string[] = [];
    const logger = createServiceLogger({ name: 'orders', version: '1.0.0' }, 'info', {
      write: (line: string) => void lines.push(line),
    });
    const log = pinoLogCreator(logger)(KafkaLogLevel.INFO);
    log({
      namespace: 'Consumer',
      level: KafkaLogLevel.WARN,
      label: 'WARN',
      log: { timestamp: '2026-01-01T00:00:00.000Z', logger: 'kafkajs', message: 'rebalancing', groupId: 'g1' },
    });
    const entry = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    assert.deepEqual(
      { level: entry.level, msg: entry.msg, component: entry.component, namespace: entry.namespace, groupId: entry.groupId },
      { level: 'warn', msg: 'rebalancing', component: 'kafkajs', namespace: 'Consumer', groupId: 'g1' },
    );
    assert.equal(entry.logger, undefined);
    assert.equal(entry.service, 'orders');
  });

  it("lets through no more of kafkajs's chatter than the service logger would print", () => {
    const quiet = createServiceLogger({ name: 'orders', version: '1' }, 'warn', { write: () => undefined });
    assert.equal(kafkaLogLevelFor(quiet), KafkaLogLevel.WARN);
    const silent = createServiceLogger({ name: 'orders', version: '1' }, 'silent', { write: () => undefined });
    assert.equal(kafkaLogLevelFor(silent), KafkaLogLevel.NOTHING);
  });
});

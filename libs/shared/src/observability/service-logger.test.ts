import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createServiceLogger } from './service-logger.js';

describe('createServiceLogger', () => {
  it('writes JSON lines that carry the service name, version and level name', () => {
    const lines: string[] = [];
    const logger = createServiceLogger({ name: 'notifications', version: '0.4.0' }, 'info', {
      write: (line: string) => void lines.push(line),
    });
    logger.child({ component: 'kafkajs' }).info('joined group');
    logger.debug('not printed at info');
    assert.equal(lines.length, 1);
    const entry = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    assert.equal(entry.service, 'notifications');
    assert.equal(entry.version, '0.4.0');
    assert.equal(entry.level, 'info');
    assert.equal(entry.component, 'kafkajs');
    assert.match(String(entry.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});

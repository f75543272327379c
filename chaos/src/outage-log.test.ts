import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { workspaceRoot } from '@faultline/shared/testing';
import { OutageLog, describeOutage, outageOverlapping, parseOutages } from './outage-log.js';

const kafka = { start: '2026-11-29T12:00:00.000Z', end: '2026-11-29T12:00:20.000Z', component: 'kafka', what: 'kill -9 (pid 7) by chaos kill-and-recover' };
const at = (iso: string) => Date.parse(iso);

describe('the outage log', () => {
  const path = join(workspaceRoot(), '.faultline', 'tmp', `outage-log-test-${randomUUID()}`, 'outages.log');
  after(() => rmSync(join(path, '..'), { recursive: true, force: true }));

  it('reads back what it wrote: the start line and the end line as one outage, in the checkout', () => {
    const log = new OutageLog(path);
    assert.deepEqual(log.read(), [], 'a log nobody wrote to yet holds no outage');
    log.started({ start: kafka.start, component: kafka.component, what: kafka.what });
    assert.deepEqual(log.read(), [{ start: kafka.start, component: 'kafka', what: kafka.what }], 'an outage still going on has no end');
    log.ended(kafka);
    assert.deepEqual(log.read(), [kafka]);
    assert.ok(new OutageLog().path.startsWith(workspaceRoot()), 'the default log is under the checkout');
  });

  it('skips lines that are not outages instead of failing the reader', () => {
    const text = ['not json', '{"start":"yesterday","component":"kafka"}', JSON.stringify(kafka), '', '{"start":'].join('\n');
    assert.deepEqual(parseOutages(text), [kafka]);
  });

  it('finds the outage overlapping a request, with the margin either side, and none for a request well after it', () => {
    const outages = parseOutages(JSON.stringify(kafka));
    assert.equal(outageOverlapping(outages, { from: at('2026-11-29T12:00:05Z'), to: at('2026-11-29T12:00:06Z') }, 0), outages[0]);
    assert.equal(outageOverlapping(outages, { from: at('2026-11-29T12:00:25Z'), to: at('2026-11-29T12:00:26Z') }, 10_000), outages[0]);
    assert.equal(outageOverlapping(outages, { from: at('2026-11-29T11:59:55Z'), to: at('2026-11-29T11:59:56Z') }, 10_000), outages[0]);
    assert.equal(outageOverlapping(outages, { from: at('2026-11-29T12:00:31Z'), to: at('2026-11-29T12:00:32Z') }, 10_000), undefined);
    assert.equal(outageOverlapping([], { from: at('2026-11-29T12:00:05Z'), to: at('2026-11-29T12:00:06Z') }, 10_000), undefined);
  });

  it('counts an outage with no end recorded as going on for a bounded time, never for good', () => {
    const open = parseOutages(JSON.stringify({ start: kafka.start, component: 'postgres-primary', what: 'kill -9' }));
    assert.ok(outageOverlapping(open, { from: at('2026-11-29T12:05:00Z'), to: at('2026-11-29T12:05:01Z') }, 0));
    assert.equal(outageOverlapping(open, { from: at('2026-11-29T18:00:00Z'), to: at('2026-11-29T18:00:01Z') }, 0), undefined);
    assert.match(describeOutage(open[0] ?? kafka), /postgres-primary 12:00:00\.000–no end recorded UTC \(kill -9\)/);
  });
});

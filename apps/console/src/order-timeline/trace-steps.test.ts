import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { traceSteps } from './trace-steps.js';

const span = (operationName: string, kind: string, processID: string, startMs: number, durationUs: number) => ({
  operationName,
  startTime: startMs * 1_000,
  duration: durationUs,
  processID,
  tags: [{ key: 'span.kind', value: kind }],
});

describe('traceSteps', () => {
  it("keeps the spans that cross a boundary (requests received, events published and applied, e-mails sent), in time order, each with its service", () => {
    const steps = traceSteps({
      data: [
        {
          processes: { p1: { serviceName: 'orders' }, p2: { serviceName: 'billing' }, p3: { serviceName: 'notifications' } },
          spans: [
            span('orders.order.events process', 'consumer', 'p2', 1_764_900_000_050, 23_155),
            span('POST /orders', 'server', 'p1', 1_764_900_000_000, 14_691),
            span('pg.query:INSERT orders', 'client', 'p1', 1_764_900_000_005, 1_094),
            span('orders.order.events publish', 'producer', 'p1', 1_764_900_000_030, 3_011),
            span('smtp send', 'client', 'p3', 1_764_900_000_400, 128_310),
            span('RunWorkflow:orderFulfilment', 'internal', 'p1', 1_764_900_000_100, 396_000),
          ],
        },
      ],
    });
    assert.deepEqual(
      steps.map(({ service, operation, kind, durationMs }) => `${service} ${kind} ${operation} ${durationMs}`),
      ['orders server POST /orders 14.7', 'orders producer orders.order.events publish 3', 'billing consumer orders.order.events process 23.2', 'notifications client smtp send 128.3'],
    );
    assert.equal(steps[0]?.at, new Date(1_764_900_000_000).toISOString());
  });

  it('has no steps before Jaeger holds the trace', () => {
    assert.deepEqual(traceSteps({ data: [] }), []);
    assert.deepEqual(traceSteps({}), []);
  });
});

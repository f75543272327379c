import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { DecodedEvent } from '../contracts/index.js';
import { createServiceLogger } from '../observability/index.js';
import { RecordedSpans } from '../testing/index.js';
import { ConsumerTracing } from './consumer-tracing.js';
import type { SourceRecord } from './source-record.js';

const PUBLISHED = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };
const WRITTEN = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };
const traceparent = ({ traceId, spanId }: { traceId: string; spanId: string }) => `00-${traceId}-${spanId}-01`;

let offset = 0;
const record = (headers: Record<string, string> = {}): SourceRecord => ({
  topic: 'orders.order.events',
  partition: 2,
  offset: String((offset += 1)),
  key: 'order-1',
  value: '{}',
  headers,
});
const event = (fields: Partial<DecodedEvent> = {}): DecodedEvent => ({
  eventId: randomUUID(),
  type: 'orders.order.placed',
  schemaVersion: 1,
  aggregateType: 'order',
  aggregateId: 'order-1',
  sequence: 1,
  occurredAt: new Date().toISOString(),
  correlationId: `correlation-${randomUUID()}`,
  causationId: 'request-1',
  producer: { name: 'orders', version: '0.1.0' },
  payload: {},
  ...fields,
});

describe('ConsumerTracing', () => {
  let spans: RecordedSpans;
  const tracing = new ConsumerTracing('billing-orders');
  beforeEach(() => {
    spans = RecordedSpans.start();
  });
  afterEach(() => spans.stop());

  it("handles an event in a CONSUMER span that continues the record's traceparent header, with the handler inside it", async () => {
    const consumed = record({ traceparent: traceparent(PUBLISHED) });
    const placed = event({ traceparent: traceparent(WRITTEN) });
    const active = await tracing.process(consumed, placed, () => Promise.resolve(trace.getActiveSpan()?.spanContext()));

    const span = spans.one('orders.order.events process');
    assert.equal(span.kind, SpanKind.CONSUMER);
    assert.equal(span.spanContext().traceId, PUBLISHED.traceId, 'the header, not the envelope, names the parent');
    assert.equal(span.parentSpanContext?.spanId, PUBLISHED.spanId);
    assert.deepEqual(active, span.spanContext(), 'the handler runs with the span active');
    assert.deepEqual(span.attributes, {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.destination.name': 'orders.order.events',
      'messaging.destination.partition.id': '2',
      'messaging.consumer.group.name': 'billing-orders',
      'messaging.kafka.offset': Number(consumed.offset),
      'messaging.kafka.message.key': 'order-1',
      'messaging.message.id': placed.eventId,
      'messaging.message.conversation_id': placed.correlationId,
      'faultline.event.type': 'orders.order.placed',
    });
  });

  it("falls back to the envelope's traceparent for a record without trace headers, and starts a trace when neither has one", async () => {
    await tracing.process(record(), event({ traceparent: traceparent(WRITTEN) }), () => Promise.resolve());
    await tracing.process(record({ traceparent: 'not-a-traceparent' }), event(), () => Promise.resolve());
    const [fromEnvelope, fresh] = spans.finished;
    assert.equal(fromEnvelope?.spanContext().traceId, WRITTEN.traceId);
    assert.equal(fromEnvelope?.parentSpanContext?.spanId, WRITTEN.spanId);
    assert.equal(fresh?.parentSpanContext, undefined);
    assert.notEqual(fresh?.spanContext().traceId, WRITTEN.traceId);
  });

  it('records a failing handler on its span, status ERROR, and throws the failure on', async () => {
    await assert.rejects(
      tracing.process(record({ traceparent: traceparent(PUBLISHED) }), event(), () => Promise.reject(new Error('billing database unreachable'))),
      /billing database unreachable/,
    );
    const span = spans.one('orders.order.events process');
    assert.equal(span.status.code, SpanStatusCode.ERROR);
    assert.equal(span.status.message, 'billing database unreachable');
    assert.equal(span.events[0]?.name, 'exception');
    assert.equal(span.events[0]?.attributes?.['exception.message'], 'billing database unreachable');
  });

  it("wraps a run in a batch span linked to each record's context, while each record's span stays a child of its own", async () => {
    const first = { record: record({ traceparent: traceparent(PUBLISHED) }), event: event() };
    const second = { record: record(), event: event({ traceparent: traceparent(WRITTEN) }) };
    const untraced = { record: record(), event: event() };
    const run = [first, second, untraced];
    await tracing.processRun(run, async () => {
      for (const { record: r, event: e } of run) await tracing.process(r, e, () => Promise.resolve());
    });

    const batch = spans.one('orders.order.events process batch');
    assert.equal(batch.parentSpanContext, undefined, 'the run starts a trace of its own');
    assert.deepEqual(
      batch.links.map((link) => link.context.spanId),
      [PUBLISHED.spanId, WRITTEN.spanId],
    );
    assert.equal(batch.attributes['messaging.batch.message_count'], 3);
    const perRecord = spans.finished.filter((span) => span.name === 'orders.order.events process');
    assert.deepEqual(
      perRecord.map((span) => span.parentSpanContext?.spanId),
      [PUBLISHED.spanId, WRITTEN.spanId, undefined],
    );
    assert.notEqual(perRecord[2]?.spanContext().traceId, batch.spanContext().traceId, 'not even an untraced record joins the batch trace');
  });

  it("puts the event's correlation id on every line logged while it is handled, and only then", async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createServiceLogger({ name: 'billing', version: '0.1.0' }, 'info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    const placed = event();
    await tracing.process(record(), placed, async () => {
      logger.child({ component: 'handler' }).info('order copied');
    });
    logger.info('after the event');
    assert.deepEqual(
      lines.map((line) => [line.msg, line.correlationId]),
      [
        ['order copied', placed.correlationId],
        ['after the event', undefined],
      ],
    );
  });
});

describe('ConsumerTracing with no SDK running', () => {
  it('runs the handling and returns its result, with the correlation id still logged', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createServiceLogger({ name: 'billing', version: '0.1.0' }, 'info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    const placed = event({ traceparent: traceparent(WRITTEN) });
    const tracing = new ConsumerTracing('billing-orders');
    const outcome = await tracing.processRun([{ record: record(), event: placed }], () =>
      tracing.process(record({ traceparent: traceparent(PUBLISHED) }), placed, async () => {
        logger.info('order copied');
        return trace.getActiveSpan()?.isRecording() ?? false;
      }),
    );
    assert.equal(outcome, false, 'nothing is recorded');
    assert.equal(lines[0]?.correlationId, placed.correlationId);
    await assert.rejects(
      tracing.process(record(), placed, () => Promise.reject(new Error('refused'))),
      /refused/,
    );
  });
});

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { EntityManager } from 'typeorm';
import { ManualClock } from '../clock/index.js';
import type { MessageProducer, OutgoingMessage } from '../messaging/index.js';
import { RecordedSpans } from '../testing/index.js';
import { resolveOutboxOptions } from './outbox-options.js';
import type { PendingRow } from './outbox-table.js';
import { Outbox } from './outbox.js';
import { sendWithPublishSpans } from './publish-spans.js';

const WRITTEN = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' };
const TOPIC = 'orders.order.events';

const row = (id: string, traceparent: string | null, tracestate: string | null = null): PendingRow => ({
  id,
  topic: TOPIC,
  aggregateId: `order-${id}`,
  eventId: `event-${id}`,
  eventType: 'orders.order.placed',
  envelope: `{"id":${id}}`,
  traceparent,
  tracestate,
});
const toMessage = (pending: PendingRow): OutgoingMessage => ({ key: pending.aggregateId, value: pending.envelope });

/** A producer that keeps what it is given, or fails every send with `failure`. */
function recordingProducer(failure?: Error): MessageProducer & { sent: OutgoingMessage[] } {
  const sent: OutgoingMessage[] = [];
  return {
    sent,
    send: (_topic, messages) => {
      if (failure) return Promise.reject(failure);
      sent.push(...messages);
      return Promise.resolve();
    },
    disconnect: () => Promise.resolve(),
  };
}

/** A transaction that keeps the parameters of the one statement Outbox.append runs. */
function recordingTransaction(): { transaction: EntityManager; stored: () => Record<string, unknown> } {
  let parameters: unknown[] = [];
  const transaction = {
    query: (_sql: string, values: unknown[]) => {
      parameters = values;
      return Promise.resolve([]);
    },
  } as unknown as EntityManager;
  return { transaction, stored: () => JSON.parse(String(parameters[6])) as Record<string, unknown> };
}

const outbox = () => new Outbox(new ManualClock(new Date('2026-12-01T09:00:00Z')), resolveOutboxOptions({ producer: { name: 'orders', version: '0.1.0' } }));
const placed = {
  topic: TOPIC,
  type: 'orders.order.placed',
  schemaVersion: 1,
  aggregateType: 'order',
  aggregateId: 'order-1',
  sequence: 1,
  correlationId: 'correlation-1',
  causationId: 'request-1',
  payload: {},
};

describe('trace context through the outbox', () => {
  let spans: RecordedSpans;
  beforeEach(() => {
    spans = RecordedSpans.start();
  });
  afterEach(() => spans.stop());

  it('stores the trace context active at append in the envelope, as the outbox row keeps it', async () => {
    const { transaction, stored } = recordingTransaction();
    const { span, envelope } = await trace.getTracer('test').startActiveSpan('POST /orders', async (request) => {
      request.end();
      return { span: request.spanContext(), envelope: await outbox().append(transaction, placed) };
    });
    assert.equal(envelope.traceparent, `00-${span.traceId}-${span.spanId}-01`);
    assert.equal(stored().traceparent, envelope.traceparent);
  });

  it('parents each publish span on the trace its event was written in, and sends that span in the message headers', async () => {
    const producer = recordingProducer();
    await sendWithPublishSpans(producer, TOPIC, [row('1', `00-${WRITTEN.traceId}-${WRITTEN.spanId}-01`, 'vendor=abc'), row('2', null)], toMessage);

    const [written, unwritten] = spans.finished;
    assert.equal(written?.name, `${TOPIC} publish`);
    assert.equal(written?.kind, SpanKind.PRODUCER);
    assert.equal(written?.spanContext().traceId, WRITTEN.traceId);
    assert.equal(written?.parentSpanContext?.spanId, WRITTEN.spanId);
    assert.equal(unwritten?.parentSpanContext, undefined, 'an event written untraced starts a trace of its own');
    assert.deepEqual(
      producer.sent.map((message) => message.headers),
      [written, unwritten].map((span) => ({
        traceparent: `00-${span?.spanContext().traceId}-${span?.spanContext().spanId}-01`,
        ...(span === written && { tracestate: 'vendor=abc' }),
      })),
    );
    assert.deepEqual(written?.attributes, {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'send',
      'messaging.destination.name': TOPIC,
      'messaging.kafka.message.key': 'order-1',
      'messaging.message.id': 'event-1',
      'faultline.event.type': 'orders.order.placed',
    });
  });

  it('ends every span of a failed send with the error, status ERROR, and throws it on', async () => {
    const producer = recordingProducer(new Error('broker not available'));
    await assert.rejects(sendWithPublishSpans(producer, TOPIC, [row('1', null), row('2', null)], toMessage), /broker not available/);
    assert.deepEqual(
      spans.finished.map((span) => [span.status.code, span.events[0]?.name]),
      [
        [SpanStatusCode.ERROR, 'exception'],
        [SpanStatusCode.ERROR, 'exception'],
      ],
    );
  });
});

describe('the outbox with no SDK running', () => {
  it('stores no trace context, and sends each message exactly as the relay made it', async () => {
    const { transaction, stored } = recordingTransaction();
    const envelope = await outbox().append(transaction, placed);
    assert.equal('traceparent' in envelope, false);
    assert.equal('traceparent' in stored(), false);
    const producer = recordingProducer();
    await sendWithPublishSpans(producer, TOPIC, [row('1', `00-${WRITTEN.traceId}-${WRITTEN.spanId}-01`)], toMessage);
    assert.deepEqual(producer.sent, [{ key: 'order-1', value: '{"id":1}' }]);
  });
});

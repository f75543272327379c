import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { DependencyClientError } from '@faultline/shared/resilience';
import { activeTraceContext } from '@faultline/shared/messaging';
import { RecordedSpans } from '@faultline/shared/testing';
import { Notification } from '../entities/index.js';
import { traceNotSent, tracedSend, type TracedEmail } from './delivery-tracing.js';
import { SmtpSendError } from './smtp-mailer.js';

const activeTraceparent = () => activeTraceContext().traceparent ?? null;

const row = (traceparent: string | null): Notification =>
  Object.assign(new Notification(), { id: randomUUID(), kind: 'order-placed', attemptCount: 0, traceparent });
const email: TracedEmail = { messageId: '<e1@notifications.faultline>', recipient: 'ada@example.com', server: { host: '127.0.0.1', port: 11025 } };

describe('delivery tracing with no OpenTelemetry SDK started', () => {
  it('stores no context and sends as if untraced', async () => {
    assert.equal(activeTraceparent(), null);
    assert.equal(await tracedSend(row(null), email, async () => '250 queued'), '250 queued');
    traceNotSent(row(null), { outcome: 'no-address' });
  });
});

describe('delivery tracing', () => {
  let spans: RecordedSpans;
  const tracer = () => trace.getTracer('test');
  const finished = (name: string): ReadableSpan => {
    const span = spans.finished.find((s) => s.name === name);
    assert.ok(span, `a finished span "${name}" among ${spans.finished.map((s) => s.name).join(', ')}`);
    return span;
  };
  /** A row recorded inside a span of its own, as a consumer records it: the row and that span's context. */
  const recordedInSpan = () =>
    tracer().startActiveSpan('orders.order.events process', (consumed) => {
      const recorded = row(activeTraceparent());
      consumed.end();
      return { recorded, consumed: consumed.spanContext() };
    });

  before(() => {
    spans = RecordedSpans.start();
  });
  beforeEach(() => spans.reset());
  after(async () => {
    await spans?.stop();
  });

  it('sends a row as a CLIENT span whose parent is the context stored with the row, active while the mailer sends', async () => {
    const { recorded, consumed } = recordedInSpan();
    assert.match(recorded.traceparent ?? '', new RegExp(`^00-${consumed.traceId}-${consumed.spanId}-01$`));
    const response = await tracedSend(recorded, email, async () => {
      tracer().startSpan('inside the send').end();
      return '250 2.0.0 queued as 1';
    });
    assert.equal(response, '250 2.0.0 queued as 1');

    const send = finished('smtp send');
    assert.equal(send.kind, SpanKind.CLIENT);
    assert.equal(send.spanContext().traceId, consumed.traceId);
    assert.equal(send.parentSpanContext?.spanId, consumed.spanId);
    assert.equal(finished('inside the send').parentSpanContext?.spanId, send.spanContext().spanId);
    assert.deepEqual(send.attributes, {
      'notification.id': recorded.id,
      'notification.kind': 'order-placed',
      'notification.attempt': 1,
      'email.message_id': '<e1@notifications.faultline>',
      'server.address': '127.0.0.1',
      'server.port': 11025,
      'network.protocol.name': 'smtp',
      'notification.outcome': 'sent',
      'smtp.response_code': 250,
    });
    assert.equal(send.status.code, SpanStatusCode.UNSET);
  });

  it('records a refused send as ERROR with its reply code, and keeps the recipient address out of the span', async () => {
    const { recorded, consumed } = recordedInSpan();
    const refusal = new DependencyClientError(550, 'the SMTP server refused the message: 550 <ada@example.com>: no such mailbox');
    await assert.rejects(
      tracedSend(recorded, email, () => Promise.reject(new SmtpSendError(refusal, 1))),
      SmtpSendError,
    );
    const send = finished('smtp send');
    assert.equal(send.parentSpanContext?.spanId, consumed.spanId);
    assert.equal(send.status.code, SpanStatusCode.ERROR);
    assert.equal(send.attributes['notification.outcome'], 'failed');
    assert.equal(send.attributes['smtp.response_code'], 550);
    const exception = send.events.find((e) => e.name === 'exception');
    assert.match(String(exception?.attributes?.['exception.message']), /550 <\[recipient\]>: no such mailbox/);
    assert.doesNotMatch(JSON.stringify({ attributes: send.attributes, events: send.events, status: send.status }), /ada@example\.com/);
  });

  it("marks a send the open breaker failed fast as 'breaker-open'", async () => {
    await assert.rejects(tracedSend(row(null), email, () => Promise.reject(new SmtpSendError(new Error('breaker is open'), 0))));
    assert.equal(finished('smtp send').attributes['notification.outcome'], 'breaker-open');
  });

  it('sends a row stored with no context as a root span, whatever span is active around the sender', async () => {
    const unrelated = tracer().startSpan('unrelated');
    await context.with(trace.setSpan(context.active(), unrelated), () => tracedSend(row(null), email, async () => '250 ok'));
    unrelated.end();
    const send = finished('smtp send');
    assert.equal(send.parentSpanContext, undefined);
    assert.notEqual(send.spanContext().traceId, unrelated.spanContext().traceId);
  });

  it('shows why no e-mail went out: a held or unrenderable row is a short span in its trace', () => {
    const { recorded, consumed } = recordedInSpan();
    traceNotSent(recorded, { outcome: 'held', until: new Date('2026-03-08T07:00:00.000Z') });
    traceNotSent(recorded, { outcome: 'unrenderable', error: new Error('no template') });
    const held = finished('notification held');
    assert.equal(held.kind, SpanKind.INTERNAL);
    assert.equal(held.parentSpanContext?.spanId, consumed.spanId);
    assert.equal(held.attributes['notification.held_until'], '2026-03-08T07:00:00.000Z');
    const unrenderable = finished('notification unrenderable');
    assert.equal(unrenderable.spanContext().traceId, consumed.traceId);
    assert.equal(unrenderable.status.code, SpanStatusCode.ERROR);
  });
});

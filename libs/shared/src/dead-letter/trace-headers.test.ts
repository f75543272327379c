import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { ManualClock } from '../clock/index.js';
import { ConsumerMetrics, type ConsumedEventPipeline, type OrderedProducer, type OutgoingMessage, type SourceRecord } from '../messaging/index.js';
import { ServiceMetrics } from '../observability/index.js';
import { DEAD_LETTER_HEADERS, DeadLetterPublisher } from './dead-letter-publisher.js';
import { RetryTopics } from './retry-topics.js';
import { RetryingRecordProcessor } from './retrying-record-processor.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACE_HEADERS = { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`, tracestate: 'vendor=abc' };

describe("a failing record's trace context", () => {
  it('travels with it through the retry topics into its dead letter, which names the trace, and its correlation id is logged', async () => {
    const lines: { msg?: string; correlationId?: string }[] = [];
    const sent: { topic: string; message: OutgoingMessage }[] = [];
    const producer = {
      send: (topic: string, messages: OutgoingMessage[]) => {
        sent.push(...messages.map((message) => ({ topic, message })));
        return Promise.resolve();
      },
    } as unknown as OrderedProducer;
    const consumer = { name: 'billing-orders', version: '0.1.0' };
    const retryTopics = new RetryTopics('billing-orders', [1_000]);
    const processor = new RetryingRecordProcessor({
      consumer: consumer.name,
      // Every attempt meets a database outage.
      pipeline: { process: () => Promise.reject(new Error('Connection terminated unexpectedly')) } as unknown as ConsumedEventPipeline,
      policy: { inProcessAttempts: 1, backoffBaseMs: 0, backoffMaxMs: 0, retryDelaysMs: [1_000] },
      retryTopics,
      producer,
      deadLetters: new DeadLetterPublisher(producer, 'billing-orders.dlq', consumer),
      metrics: new ConsumerMetrics(new ServiceMetrics(consumer).registry),
      clock: new ManualClock(new Date('2026-12-01T09:00:00Z')),
      logger: pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line)) }),
      signal: new AbortController().signal,
    });
    const source: SourceRecord = { topic: 'orders.order.events', partition: 0, offset: '7', key: 'order-1', value: '{"correlationId":"order-flow-1"}', headers: TRACE_HEADERS };

    assert.equal(await processor.process(source), 'retry_scheduled');
    const [retry] = sent;
    assert.equal(retry?.topic, 'billing-orders.retry.1');
    const retried: SourceRecord = { ...source, topic: 'billing-orders.retry.1', offset: '0', headers: retry?.message.headers ?? {} };
    assert.equal(await processor.process(retried), 'dead_lettered');

    const letter = sent[1]?.message.headers ?? {};
    assert.deepEqual(
      [retry?.message.headers?.traceparent, retry?.message.headers?.tracestate, letter.traceparent, letter.tracestate],
      [TRACE_HEADERS.traceparent, TRACE_HEADERS.tracestate, TRACE_HEADERS.traceparent, TRACE_HEADERS.tracestate],
    );
    assert.equal(letter[DEAD_LETTER_HEADERS.traceId], TRACE_ID);
    assert.deepEqual(
      lines.map((line) => [line.msg?.split(' (')[0], line.correlationId]),
      [
        ['transient failure', 'order-flow-1'],
        ['dead-lettered to billing-orders.dlq', 'order-flow-1'],
      ],
    );
  });
});

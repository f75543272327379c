import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import proto from '@temporalio/proto';
import { TIME_ZONE_CHANGED_SIGNAL, pendingBillingRun } from './billing-schedule-history.js';

const EventType = proto.temporal.api.enums.v1.EventType;
const at = (iso: string) => ({ seconds: Math.floor(Date.parse(iso) / 1_000), nanos: 0 });
const payload = (value: unknown) => defaultPayloadConverter.toPayload(value);
/** As Temporal's client hands them over: decoded protobuf messages (ids and seconds are Longs). */
const history = (events: Record<string, unknown>[]) => events.map((event) => proto.temporal.api.history.v1.HistoryEvent.fromObject(event));

describe('pendingBillingRun', () => {
  const started = {
    eventId: 1,
    eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
    eventTime: at('2026-12-05T06:00:00Z'),
    workflowExecutionStartedEventAttributes: { input: { payloads: [payload({ customerId: 'c', timeZone: 'Europe/Lisbon', schedule: 'zoned' })] } },
  };
  const timer = (eventId: number, iso: string, seconds: number) => ({
    eventId,
    eventType: EventType.EVENT_TYPE_TIMER_STARTED,
    eventTime: at(iso),
    timerStartedEventAttributes: { startToFireTimeout: { seconds, nanos: 0 } },
  });

  it("reads the zone from the start and the pending timer's firing time", () => {
    assert.deepEqual(pendingBillingRun(history([started, timer(5, '2026-12-05T06:00:01Z', 3 * 3_600)])), { zone: 'Europe/Lisbon', runAt: new Date('2026-12-05T09:00:01Z') });
  });

  it('follows a time-zone signal, and the timer started after it, not the cancelled one', () => {
    const events = [
      started,
      timer(5, '2026-12-05T06:00:00Z', 3 * 3_600),
      {
        eventId: 6,
        eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
        eventTime: at('2026-12-05T06:10:00Z'),
        workflowExecutionSignaledEventAttributes: { signalName: TIME_ZONE_CHANGED_SIGNAL, input: { payloads: [payload('America/New_York')] } },
      },
      { eventId: 9, eventType: EventType.EVENT_TYPE_TIMER_CANCELED, timerCanceledEventAttributes: { startedEventId: 5 } },
      timer(12, '2026-12-05T06:10:01Z', 7 * 3_600 + 50 * 60),
    ];
    assert.deepEqual(pendingBillingRun(history(events)), { zone: 'America/New_York', runAt: new Date('2026-12-05T14:00:01Z') });
  });

  it('has nothing pending once the timer fired (the run is under way)', () => {
    assert.equal(pendingBillingRun(history([started, timer(5, '2026-12-05T06:00:00Z', 60), { eventId: 6, eventType: EventType.EVENT_TYPE_TIMER_FIRED, timerFiredEventAttributes: { startedEventId: 5 } }])), undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import proto from '@temporalio/proto';

const { temporal } = proto;
import { sagaFromHistory } from './saga-history.js';

const EventType = temporal.api.enums.v1.EventType;
const at = (second: number) => ({ seconds: 1_764_806_400 + second, nanos: 500_000_000 });
/** As Temporal's client hands them over: decoded protobuf messages (ids and seconds are Longs). */
const history = (events: Record<string, unknown>[]) => events.map((event) => temporal.api.history.v1.HistoryEvent.fromObject(event));

describe('sagaFromHistory', () => {
  it('lists each activity once with how it ended, its attempt and failure, and the workflow closed', () => {
    const saga = sagaFromHistory('order-1', history([
      { eventId: 1, eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, eventTime: at(0) },
      { eventId: 5, eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, eventTime: at(1), activityTaskScheduledEventAttributes: { activityType: { name: 'authorizePayment' } } },
      { eventId: 6, eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED, eventTime: at(3), activityTaskStartedEventAttributes: { scheduledEventId: 5, attempt: 2 } },
      { eventId: 7, eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, eventTime: at(4), activityTaskCompletedEventAttributes: { scheduledEventId: 5 } },
      { eventId: 11, eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, eventTime: at(5), activityTaskScheduledEventAttributes: { activityType: { name: 'capturePayment' } } },
      { eventId: 12, eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED, eventTime: at(5), activityTaskStartedEventAttributes: { scheduledEventId: 11, attempt: 1 } },
      { eventId: 13, eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED, eventTime: at(6), activityTaskFailedEventAttributes: { scheduledEventId: 11, failure: { message: 'card declined' } } },
      { eventId: 17, eventType: EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, eventTime: at(7), activityTaskScheduledEventAttributes: { activityType: { name: 'voidAuthorization' } } },
      { eventId: 20, eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, eventTime: at(9) },
    ]));
    assert.deepEqual(saga, {
      workflowId: 'order-1',
      status: 'completed',
      startedAt: '2025-12-04T00:00:00.500Z',
      steps: [
        { activity: 'authorizePayment', scheduledAt: '2025-12-04T00:00:01.500Z', endedAt: '2025-12-04T00:00:04.500Z', outcome: 'completed', attempt: 2 },
        { activity: 'capturePayment', scheduledAt: '2025-12-04T00:00:05.500Z', endedAt: '2025-12-04T00:00:06.500Z', outcome: 'failed', attempt: 1, detail: 'card declined' },
        { activity: 'voidAuthorization', scheduledAt: '2025-12-04T00:00:07.500Z', outcome: 'running' },
      ],
    });
  });

  it('calls a workflow with no closing event running', () => {
    assert.equal(sagaFromHistory('order-2', history([{ eventId: 1, eventType: EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, eventTime: at(0) }])).status, 'running');
  });
});

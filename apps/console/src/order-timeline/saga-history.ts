import proto from '@temporalio/proto';
import type { SagaStep, SagaView } from '../console-api.js';

// CommonJS: its namespaces come from the default export.
const EventType = proto.temporal.api.enums.v1.EventType;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

/** How each way a workflow can close reads on the page. */
const CLOSED: ReadonlyMap<number, string> = new Map([
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, 'completed'],
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, 'failed'],
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT, 'timed out'],
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED, 'cancelled'],
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED, 'terminated'],
  [EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, 'continued as new'],
]);

function isoOf(time: HistoryEvent['eventTime']): string | undefined {
  if (!time) return undefined;
  const ms = Number(String(time.seconds ?? 0)) * 1_000 + Math.floor((time.nanos ?? 0) / 1_000_000);
  return new Date(ms).toISOString();
}

const idOf = (value: unknown): string => String(value ?? '');

/**
 * The saga as the room reads it, from the workflow's history: each activity once (a step or a
 * compensation, in the order they were scheduled), how it ended and on which attempt, and the
 * workflow's own status.
 */
export function sagaFromHistory(workflowId: string, events: readonly HistoryEvent[]): SagaView {
  const steps = new Map<string, SagaStep>();
  let status = 'running';
  let startedAt: string | undefined;
  for (const event of events) {
    const type = event.eventType ?? EventType.EVENT_TYPE_UNSPECIFIED;
    const at = isoOf(event.eventTime);
    if (type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) startedAt = at;
    const closed = CLOSED.get(type);
    if (closed) status = closed;
    if (type === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
      const activity = event.activityTaskScheduledEventAttributes?.activityType?.name ?? 'an activity';
      steps.set(idOf(event.eventId), { activity, scheduledAt: at ?? '', outcome: 'running' });
      continue;
    }
    const ended = activityEnd(event);
    const step = ended && steps.get(ended.scheduledEventId);
    if (ended && step) Object.assign(step, { endedAt: at, outcome: ended.outcome, ...(ended.detail ? { detail: ended.detail } : {}) });
    if (type === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
      const started = steps.get(idOf(event.activityTaskStartedEventAttributes?.scheduledEventId));
      if (started) started.attempt = event.activityTaskStartedEventAttributes?.attempt ?? undefined;
    }
  }
  return { workflowId, status, ...(startedAt ? { startedAt } : {}), steps: [...steps.values()] };
}

function activityEnd(event: HistoryEvent): { scheduledEventId: string; outcome: SagaStep['outcome']; detail?: string } | undefined {
  if (event.activityTaskCompletedEventAttributes) return { scheduledEventId: idOf(event.activityTaskCompletedEventAttributes.scheduledEventId), outcome: 'completed' };
  if (event.activityTaskFailedEventAttributes) {
    const { scheduledEventId, failure } = event.activityTaskFailedEventAttributes;
    return { scheduledEventId: idOf(scheduledEventId), outcome: 'failed', ...(failure?.message ? { detail: failure.message } : {}) };
  }
  if (event.activityTaskTimedOutEventAttributes) return { scheduledEventId: idOf(event.activityTaskTimedOutEventAttributes.scheduledEventId), outcome: 'timed out' };
  if (event.activityTaskCanceledEventAttributes) return { scheduledEventId: idOf(event.activityTaskCanceledEventAttributes.scheduledEventId), outcome: 'cancelled' };
  return undefined;
}

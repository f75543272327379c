import { defaultPayloadConverter } from '@temporalio/common';
import proto from '@temporalio/proto';

// CommonJS: its namespaces come from the default export.
const EventType = proto.temporal.api.enums.v1.EventType;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;
type Payload = proto.temporal.api.common.v1.IPayload;

/** Billing's schedule workflow and its signal (apps/billing/src/billing-run/billing-schedule-input.ts). */
export const BILLING_SCHEDULE_WORKFLOW = 'billingSchedule';
export const TIME_ZONE_CHANGED_SIGNAL = 'timeZoneChanged';

const millisOf = (time: { seconds?: unknown; nanos?: number | null } | null | undefined): number =>
  Number(String(time?.seconds ?? 0)) * 1_000 + Math.floor((time?.nanos ?? 0) / 1_000_000);

function decoded<T>(payload: Payload | null | undefined): T | undefined {
  if (!payload) return undefined;
  try {
    return defaultPayloadConverter.fromPayload<T>(payload as Parameters<typeof defaultPayloadConverter.fromPayload>[0]);
  } catch {
    return undefined;
  }
}

/**
 * What one customer's billing schedule is waiting for, read from its history as Temporal keeps it:
 * the zone (the start's input, then the last time-zone signal) and when its pending timer fires
 * (the last timer started and neither fired nor cancelled: its start plus its timeout). Undefined
 * while no timer is pending (the run itself is under way).
 */
export function pendingBillingRun(events: readonly HistoryEvent[]): { zone: string; runAt: Date } | undefined {
  let zone: string | undefined;
  const timers = new Map<string, number>();
  for (const event of events) {
    const type = event.eventType ?? EventType.EVENT_TYPE_UNSPECIFIED;
    if (type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) {
      zone = decoded<{ timeZone?: string }>(event.workflowExecutionStartedEventAttributes?.input?.payloads?.[0])?.timeZone ?? zone;
    } else if (type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED && event.workflowExecutionSignaledEventAttributes?.signalName === TIME_ZONE_CHANGED_SIGNAL) {
      zone = decoded<string>(event.workflowExecutionSignaledEventAttributes.input?.payloads?.[0]) ?? zone;
    } else if (type === EventType.EVENT_TYPE_TIMER_STARTED) {
      const started = event.timerStartedEventAttributes;
      timers.set(String(event.eventId), millisOf(event.eventTime) + millisOf(started?.startToFireTimeout));
    } else if (type === EventType.EVENT_TYPE_TIMER_FIRED) {
      timers.delete(String(event.timerFiredEventAttributes?.startedEventId));
    } else if (type === EventType.EVENT_TYPE_TIMER_CANCELED) {
      timers.delete(String(event.timerCanceledEventAttributes?.startedEventId));
    }
  }
  const pending = [...timers.values()].at(-1);
  return zone && pending !== undefined ? { zone, runAt: new Date(pending) } : undefined;
}

import { useEffect, useState } from 'react';
import type { EventBatch, FlowEvent, RecentEventsView } from '../../src/console-api.js';

/** The page lists at most this many events; older ones drop off the bottom. */
export const LISTED_EVENTS = 50;

const keyOf = (event: FlowEvent) => `${event.topic}/${event.partition}/${event.offset}`;

/** The backlog and the live events together, each once, in the order the broker appended them, the last `LISTED_EVENTS`. */
export function mergeEvents(older: readonly FlowEvent[], newer: readonly FlowEvent[]): FlowEvent[] {
  const byKey = new Map<string, FlowEvent>();
  for (const event of [...older, ...newer]) byKey.set(keyOf(event), event);
  return [...byKey.values()].sort((a, b) => a.appendedAt - b.appendedAt).slice(-LISTED_EVENTS);
}

export interface EventFlowView {
  events: FlowEvent[];
  /** Every event that reached the page since it opened, listed or not. */
  seen: number;
  connected: boolean;
}

/** The recent events from /api/events, then the live ones from the server-sent stream. */
export function useEventFlow(): EventFlowView {
  const [view, setView] = useState<EventFlowView>({ events: [], seen: 0, connected: false });
  useEffect(() => {
    let stopped = false;
    const source = new EventSource('/api/events/stream');
    source.onopen = () => setView((previous) => ({ ...previous, connected: true }));
    source.onerror = () => setView((previous) => ({ ...previous, connected: false }));
    source.onmessage = (message: MessageEvent<string>) => {
      const batch = JSON.parse(message.data) as EventBatch;
      setView((previous) => ({ ...previous, events: mergeEvents(previous.events, batch.events), seen: previous.seen + batch.arrived }));
    };
    void fetch('/api/events')
      .then((response) => (response.ok ? (response.json() as Promise<RecentEventsView>) : undefined))
      .then((recent) => {
        if (recent && !stopped) setView((previous) => ({ ...previous, events: mergeEvents(recent.events, previous.events) }));
      })
      .catch(() => undefined);
    return () => {
      stopped = true;
      source.close();
    };
  }, []);
  return view;
}

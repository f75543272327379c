import type { FlowState } from '../../src/console-api.js';
import type { EventFlowView } from './use-event-flow';

/** The orders' topic: a click on one of its events opens the order's timeline. */
const ORDER_EVENTS_TOPIC = 'orders.order.events';

const time = (ms: number) => new Date(ms).toISOString().slice(11, 23);

interface EventFlowPanelProps {
  flow: EventFlowView;
  eventFlow?: FlowState;
  jaegerUrl?: string;
  /** Called with an event's aggregate when its row is clicked: the page shows that order's timeline. */
  onSelect: (aggregateId: string) => void;
  selected?: string;
}

/** The events on the services' topics as the broker appends them, newest first; a click opens the aggregate's timeline. */
export function EventFlowPanel({ flow, eventFlow, jaegerUrl, onSelect, selected }: EventFlowPanelProps) {
  const newestFirst = [...flow.events].reverse();
  return (
    <section className="panel flow" aria-labelledby="flow-title">
      <h2 id="flow-title">Event flow</h2>
      <p className="quiet" data-testid="flow-status" data-seen={flow.seen}>
        {flow.connected ? 'live' : 'reconnecting'} · {flow.seen} events since this page opened
        {eventFlow?.reading.length ? ` · reading ${eventFlow.reading.join(', ')}` : ''}
        {eventFlow?.joining.length ? ` · joining its consumer group for ${eventFlow.joining.join(', ')}` : ''}
        {eventFlow?.waitingFor.length ? ` · waiting for ${eventFlow.waitingFor.join(', ')} (its service creates it)` : ''}
      </p>
      <table>
        <thead>
          <tr>
            <th>appended (UTC)</th>
            <th>type</th>
            <th>aggregate</th>
            <th>seq</th>
            <th>topic · partition · offset</th>
            <th>trace</th>
          </tr>
        </thead>
        <tbody>
          {newestFirst.map((event) => (
            <tr
              key={`${event.topic}/${event.partition}/${event.offset}`}
              data-aggregate-id={event.aggregateId ?? ''}
              data-type={event.type ?? ''}
              data-appended-ms={event.appendedAt}
              className={event.aggregateId && event.aggregateId === selected ? 'selected' : undefined}
              onClick={() => event.aggregateId && event.topic === ORDER_EVENTS_TOPIC && onSelect(event.aggregateId)}
              title={event.topic === ORDER_EVENTS_TOPIC ? "click: this order's timeline" : undefined}
            >
              <td>{time(event.appendedAt)}</td>
              <td className={event.type ? 'type' : 'problem'}>{event.type ?? event.problem}</td>
              <td title={event.aggregateId ?? ''}>{event.aggregateId?.slice(0, 8) ?? '—'}</td>
              <td>{event.sequence ?? '—'}</td>
              <td>
                {event.topic} · {event.partition} · {event.offset}
              </td>
              <td>
                {event.traceId && jaegerUrl ? (
                  <a href={`${jaegerUrl}/api/traces/${event.traceId}`} target="_blank" rel="noreferrer">
                    {event.traceId.slice(0, 8)}
                  </a>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {newestFirst.length === 0 && <p className="quiet">no events since the console started: place an order to see one</p>}
    </section>
  );
}

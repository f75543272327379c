import type { OrderTimeline } from '../../src/console-api.js';

const clock = (iso: string) => (iso ? iso.slice(11, 23) : '—');

/** How each kind of trace step reads: a request a service received, an event it published or applied, an e-mail it sent. */
const STEP_WORDS = { server: 'received', producer: 'published', consumer: 'applied', client: 'sent' } as const;

/** What each part of the system did for one order: events, the saga's steps, the payment, the e-mails, the trace. */
export function OrderTimelinePanel({ orderId, timeline, onClose }: { orderId: string; timeline?: OrderTimeline; onClose: () => void }) {
  return (
    <section className="panel timeline" aria-labelledby="timeline-title" data-testid="order-timeline" data-order-id={orderId}>
      <h2 id="timeline-title">
        Order {orderId}{' '}
        <button type="button" onClick={onClose}>
          close
        </button>
      </h2>
      {!timeline && <p className="quiet">asking Kafka's events, Temporal, the payment provider and MailDev…</p>}
      {timeline && (
        <div className="timeline-columns">
          <div>
            <h3>Events</h3>
            <ol data-testid="timeline-events">
              {timeline.events.map((event) => (
                <li key={`${event.topic}/${event.partition}/${event.offset}`} data-type={event.type ?? ''}>
                  {clock(new Date(event.appendedAt).toISOString())} <code>{event.type}</code> · {event.topic} {event.partition}@{event.offset}
                </li>
              ))}
            </ol>
            {timeline.events.length === 0 && <p className="quiet">the console has not read this order's events (it reads from when it started)</p>}
          </div>
          <div>
            <h3>Saga {timeline.saga && <span data-testid="saga-status">{timeline.saga.status}</span>}</h3>
            {!timeline.saga && <p className="quiet">no workflow for this order (yet)</p>}
            <ol data-testid="saga-steps">
              {timeline.saga?.steps.map((step, index) => (
                <li key={`${step.activity}-${index}`} data-activity={step.activity} data-outcome={step.outcome}>
                  {clock(step.scheduledAt)} <code>{step.activity}</code> {step.outcome}
                  {step.attempt && step.attempt > 1 ? ` (attempt ${step.attempt})` : ''}
                  {step.detail ? `: ${step.detail}` : ''}
                </li>
              ))}
            </ol>
          </div>
          <div>
            <h3>Payment provider</h3>
            <ul data-testid="payments">
              {timeline.payments.map((payment) => (
                <li key={payment.id} data-status={payment.status}>
                  {payment.id.slice(0, 12)} {payment.status}, {(payment.amountMinor / 100).toFixed(2)} {payment.currency}
                </li>
              ))}
            </ul>
            {timeline.payments.length === 0 && <p className="quiet">no authorization</p>}
            <h3>E-mails</h3>
            <ul data-testid="emails">
              {timeline.emails.map((email, index) => (
                <li key={`${email.at}-${index}`}>
                  {clock(email.at)} “{email.subject}” to {email.to.join(', ')}
                </li>
              ))}
            </ul>
            {timeline.emails.length === 0 && <p className="quiet">none sent</p>}
            <h3>Trace</h3>
            {timeline.trace ? (
              <>
                <a href={timeline.trace.url} target="_blank" rel="noreferrer" data-testid="trace-link">
                  {timeline.trace.traceId}
                </a>
                <ol className="trace-steps" data-testid="trace-steps">
                  {timeline.trace.steps.map((step, index) => (
                    <li key={`${step.at}-${index}`} data-kind={step.kind} data-service={step.service} data-operation={step.operation}>
                      {clock(step.at)} {step.service}: {STEP_WORDS[step.kind]} <code>{step.operation}</code> <span className="quiet">{step.durationMs} ms</span>
                    </li>
                  ))}
                </ol>
                {timeline.trace.steps.length === 0 && <p className="quiet">Jaeger has not received its spans yet</p>}
              </>
            ) : (
              <p className="quiet">its events carry no trace context (tracing off)</p>
            )}
          </div>
        </div>
      )}
      {timeline?.problems.map((problem) => (
        <p key={problem.source} className="problem">
          {problem.source}: {problem.problem}
        </p>
      ))}
    </section>
  );
}

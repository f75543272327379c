import type { SignalsView } from '../../src/console-api.js';

/**
 * Articles 4 to 6 in numbers: the events each consumer's ordering guard holds back for an earlier
 * sequence, each projection's lag behind its events, each outbox's unpublished rows, and the reads
 * that waited for a projection to reach their consistency token.
 */
export function SignalsPanel({ signals }: { signals?: SignalsView }) {
  return (
    <section className="panel signals" aria-labelledby="signals-title">
      <h2 id="signals-title">Held events, projections, outboxes, token waits</h2>
      {!signals && <p className="quiet">asking the services…</p>}
      {signals && signals.services.length === 0 && <p className="quiet">no running service reports a consumer, a projection or an outbox</p>}
      {signals && signals.services.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>service</th>
              <th>held events (per consumer)</th>
              <th>projection lag</th>
              <th>outbox backlog</th>
              <th>consistency-token waits</th>
            </tr>
          </thead>
          <tbody>
            {signals.services.map((service) => (
              <tr key={service.service} data-testid={`signals-${service.service}`}>
                <td>{service.service}</td>
                <td>
                  {Object.entries(service.heldEvents)
                    .map(([consumer, held]) => `${consumer} ${held}`)
                    .join(', ') || '—'}
                </td>
                <td>{service.projections.map((p) => `${p.projection} ${p.lagEvents} events, ${p.lagSeconds.toFixed(1)} s`).join('; ') || '—'}</td>
                <td>{service.outboxes.map((o) => `${o.table} ${o.backlog} rows${o.backlog > 0 ? `, oldest ${o.oldestAgeSeconds.toFixed(1)} s` : ''}`).join('; ') || '—'}</td>
                <td data-testid={`token-waits-${service.service}`}>
                  {service.tokenWaits.map((w) => `${w.projection}: ${w.caughtUp} caught up, ${w.gaveUp} gave up, mean ${w.meanWaitMs} ms`).join('; ') || '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

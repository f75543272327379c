import type { BreakersView } from '../../src/console-api.js';

/** Closed is healthy, half-open is testing the dependency with one call, open fails every call fast. */
const BOX_COLOUR = { closed: 'ready', 'half-open': 'not-ready', open: 'down' } as const;

/** Article 1: each running service's circuit breaker per dependency, and the transitions seen lately. */
export function BreakersPanel({ breakers }: { breakers?: BreakersView }) {
  return (
    <section className="panel breakers" aria-labelledby="breakers-title">
      <h2 id="breakers-title">Circuit breakers</h2>
      {!breakers && <p className="quiet">asking the services for their breakers…</p>}
      {breakers && breakers.breakers.length === 0 && <p className="quiet">no running service calls a dependency through a breaker</p>}
      {breakers && breakers.breakers.length > 0 && (
        <ul className="boxes">
          {breakers.breakers.map((breaker) => (
            <li
              key={`${breaker.service}/${breaker.dependency}`}
              className={`box ${BOX_COLOUR[breaker.state]}`}
              data-testid={`breaker-${breaker.service}-${breaker.dependency}`}
              data-state={breaker.state}
            >
              <strong>
                {breaker.service} → {breaker.dependency}
              </strong>
              <span className="state">{breaker.state}</span>
              <span className="detail">
                {Object.entries(breaker.calls)
                  .map(([outcome, count]) => `${outcome} ${count}`)
                  .join(' · ') || 'no calls yet'}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3>Transitions</h3>
      {breakers && breakers.transitions.length === 0 && <p className="quiet">none since the console started</p>}
      <ol className="transitions" data-testid="breaker-transitions">
        {breakers?.transitions.map((transition, index) => (
          <li key={`${transition.at}-${index}`} data-service={transition.service} data-dependency={transition.dependency} data-to={transition.to}>
            {transition.at.slice(11, 23)} {transition.service} → {transition.dependency}: {transition.from} → <strong>{transition.to}</strong>
          </li>
        ))}
      </ol>
    </section>
  );
}

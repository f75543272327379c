import type { TopologyView } from '../../src/console-api.js';

const STATE_WORDS = { ready: 'ready', 'not-ready': 'not ready', down: 'down' } as const;

/** One box per service, coloured by what its /ready answered a moment ago. */
export function TopologyPanel({ topology }: { topology?: TopologyView }) {
  return (
    <section className="panel topology" aria-labelledby="topology-title">
      <h2 id="topology-title">Services</h2>
      {!topology && <p className="quiet">asking each service's /ready…</p>}
      <ul className="services">
        {topology?.services.map((service) => (
          <li key={service.name} className={`service ${service.state}`} data-testid={`service-${service.name}`} data-state={service.state}>
            <strong>{service.name}</strong>
            <span className="state">{STATE_WORDS[service.state]}</span>
            <span className="detail" title={service.detail}>
              {service.state === 'ready' ? service.url : service.detail}
            </span>
          </li>
        ))}
      </ul>
      {topology && <p className="quiet">checked {new Date(topology.checkedAt).toLocaleTimeString()}</p>}
    </section>
  );
}

import type { LinkView, TopologyView } from '../../src/console-api.js';
import { ChangeProblem } from './ChangeProblem';
import { TopologyDiagram } from './TopologyDiagram';
import { useChange } from './use-change';

const STATE_WORDS = { ready: 'ready', 'not-ready': 'not ready', down: 'down' } as const;

/**
 * The system as boxes: each service coloured by what its /ready answered a moment ago, each part of
 * the infrastructure by whether it accepts connections, and each Toxiproxy link by its state.
 */
export function TopologyPanel({ topology }: { topology?: TopologyView }) {
  const { problem: switchProblem, send } = useChange();
  // Workshop mode: cut a link, slow it, or open it again. The next refresh (every 2 s) shows Toxiproxy's state.
  const change = (link: LinkView, state: 'cut' | 'open' | 'slow') => send('POST', `/api/links/${encodeURIComponent(link.name)}`, { state });
  return (
    <section className="panel topology" aria-labelledby="topology-title">
      <h2 id="topology-title">Services</h2>
      {!topology && <p className="quiet">asking each service's /ready…</p>}
      {topology && <TopologyDiagram topology={topology} />}
      <ul className="boxes">
        {topology?.services.map((service) => (
          <li key={service.name} className={`box ${service.state}`} data-testid={`service-${service.name}`} data-state={service.state}>
            <strong>{service.name}</strong>
            <span className="state">{STATE_WORDS[service.state]}</span>
            <span className="detail" title={service.detail}>
              {service.state === 'ready' ? service.url : service.detail}
            </span>
          </li>
        ))}
      </ul>
      <h2>Infrastructure</h2>
      <ul className="boxes">
        {topology?.infrastructure.map((part) => (
          <li key={part.name} className={`box ${part.state === 'up' ? 'ready' : 'down'}`} data-testid={`part-${part.name}`} data-state={part.state}>
            <strong>{part.name}</strong>
            <span className="state">{part.state}</span>
            <span className="detail" title={part.detail}>
              {part.address}
              {part.state === 'down' ? ` · ${part.detail}` : ''}
            </span>
          </li>
        ))}
      </ul>
      <h2>Toxiproxy links</h2>
      {topology?.linksProblem && <p className="problem">{topology.linksProblem}</p>}
      <ChangeProblem problem={switchProblem} />
      <ul className="links">
        {topology?.links.map((link) => (
          <li key={link.name} className={`link ${link.state}`} data-testid={`link-${link.name}`} data-state={link.state} title={link.detail}>
            <strong>{link.name}</strong> {link.listen} → {link.upstream} <span className="state">{link.state}</span>
            {link.state === 'slowed' ? <span className="detail"> {link.detail}</span> : null}
            {topology.workshopMode && (
              <>
                <button type="button" data-testid={`switch-${link.name}`} onClick={() => void change(link, link.state === 'cut' ? 'open' : 'cut')}>
                  {link.state === 'cut' ? 'heal' : 'cut'}
                </button>
                {link.state !== 'cut' && (
                  <button type="button" data-testid={`slow-${link.name}`} onClick={() => void change(link, link.state === 'slowed' ? 'open' : 'slow')}>
                    {link.state === 'slowed' ? 'restore' : 'slow 1 s'}
                  </button>
                )}
              </>
            )}
          </li>
        ))}
      </ul>
      {topology && <p className="quiet">checked {new Date(topology.checkedAt).toLocaleTimeString()}</p>}
    </section>
  );
}

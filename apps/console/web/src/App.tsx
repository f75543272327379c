import { EventFlowPanel } from './EventFlowPanel';
import { TopologyPanel } from './TopologyPanel';
import { useEventFlow } from './use-event-flow';
import { useTopology } from './use-topology';

/** The console: the system's services and the events flowing between them, live. */
export function App() {
  const { topology, error } = useTopology();
  const flow = useEventFlow();
  return (
    <main>
      <header>
        <h1>Faultline</h1>
        {topology && (
          <span className={`mode ${topology.workshopMode ? 'workshop' : 'read-only'}`} data-testid="mode">
            {topology.workshopMode ? 'workshop mode' : 'read-only: start the console with FAULTLINE_WORKSHOP_MODE=true to change the system from here'}
          </span>
        )}
        {error && (
          <span className="problem" role="alert">
            {error}
          </span>
        )}
      </header>
      <TopologyPanel topology={topology} />
      <EventFlowPanel flow={flow} eventFlow={topology?.eventFlow} jaegerUrl={topology?.jaegerUrl} />
    </main>
  );
}

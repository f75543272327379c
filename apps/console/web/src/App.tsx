import { useState } from 'react';
import type { BillingRunsView, BreakersView, ClocksView, ConsumerGroupsView, CustomerSession, DeadLettersView, OrderTimeline, ProviderFaults, ReplicaView, ScenariosView, SignalsView, TopologyView } from '../../src/console-api.js';
import { BillingRunsPanel } from './BillingRunsPanel';
import { BreakersPanel } from './BreakersPanel';
import { ClocksPanel } from './ClocksPanel';
import { ConsumerGroupsPanel } from './ConsumerGroupsPanel';
import { DeadLettersPanel } from './DeadLettersPanel';
import { EventFlowPanel } from './EventFlowPanel';
import { OrderTimelinePanel } from './OrderTimelinePanel';
import { PlaceOrderPanel } from './PlaceOrderPanel';
import { ProviderFaultsPanel } from './ProviderFaultsPanel';
import { ReplicaPanel } from './ReplicaPanel';
import { ScenariosPanel } from './ScenariosPanel';
import { SignalsPanel } from './SignalsPanel';
import { TopologyPanel } from './TopologyPanel';
import { useEventFlow } from './use-event-flow';
import { usePolled } from './use-polled';

/**
 * The console: the system's services, the events flowing between them, one order's timeline, who is
 * behind, the dead letters and the replica's lag, live; in workshop mode, the switches that break them.
 */
export function App() {
  const { view: topology, error } = usePolled<TopologyView>('/api/topology');
  const [groupFilter, setGroupFilter] = useState('');
  const { view: groups } = usePolled<ConsumerGroupsView>(`/api/consumer-groups${groupFilter ? `?match=${encodeURIComponent(groupFilter)}` : ''}`);
  const { view: faults } = usePolled<ProviderFaults>('/api/provider-faults');
  const { view: deadLetters } = usePolled<DeadLettersView>('/api/dead-letters');
  const { view: replica } = usePolled<ReplicaView>('/api/replica');
  const { view: breakers } = usePolled<BreakersView>('/api/breakers', 1_000);
  const { view: scenarios } = usePolled<ScenariosView>('/api/scenarios', 1_000);
  const { view: signals } = usePolled<SignalsView>('/api/signals');
  const { view: clocks } = usePolled<ClocksView>('/api/clocks', 5_000);
  const { view: billingRuns } = usePolled<BillingRunsView>('/api/billing-runs', 5_000);
  const { view: session } = usePolled<CustomerSession>(topology?.workshopMode ? '/api/session' : undefined, 5_000);
  const flow = useEventFlow();
  const [selectedOrder, setSelectedOrder] = useState<string>();
  const { view: timeline } = usePolled<OrderTimeline>(selectedOrder ? `/api/orders/${selectedOrder}/timeline` : undefined);
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
      <ScenariosPanel scenarios={scenarios} workshopMode={topology?.workshopMode ?? false} />
      <BreakersPanel breakers={breakers} />
      <ProviderFaultsPanel faults={faults} workshopMode={topology?.workshopMode ?? false} />
      {topology?.workshopMode && <PlaceOrderPanel session={session} onPlaced={setSelectedOrder} />}
      {selectedOrder && <OrderTimelinePanel orderId={selectedOrder} timeline={timeline} onClose={() => setSelectedOrder(undefined)} />}
      <EventFlowPanel flow={flow} eventFlow={topology?.eventFlow} jaegerUrl={topology?.jaegerUrl} onSelect={setSelectedOrder} selected={selectedOrder} />
      <ConsumerGroupsPanel groups={groups} filter={groupFilter} onFilter={setGroupFilter} />
      <DeadLettersPanel deadLetters={deadLetters} workshopMode={topology?.workshopMode ?? false} />
      <ReplicaPanel replica={replica} workshopMode={topology?.workshopMode ?? false} />
      <SignalsPanel signals={signals} />
      <ClocksPanel clocks={clocks} workshopMode={topology?.workshopMode ?? false} />
      <BillingRunsPanel runs={billingRuns} />
    </main>
  );
}

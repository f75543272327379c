import type { ProviderFaults } from '../../src/console-api.js';
import { ChangeProblem } from './ChangeProblem';
import { useChange } from './use-change';

/** What the workshop switches on at the provider with one click: each a way a real provider fails. */
const PRESETS: { id: string; label: string; faults: Partial<ProviderFaults> }[] = [
  { id: 'decline', label: 'decline every charge (402)', faults: { decline: true } },
  { id: 'fail-half', label: 'fail half the requests (503)', faults: { errorRate: 0.5 } },
  { id: 'slow', label: 'answer after 2 s', faults: { latencyMs: 2_000 } },
  { id: 'hang', label: 'never answer', faults: { hang: true } },
];

/** The faults in force, in words; empty when none is. */
function activeFaults(faults: ProviderFaults): string[] {
  return [
    faults.latencyMs > 0 ? `latency ${faults.latencyMs} ms` : '',
    faults.errorRate > 0 ? `${Math.round(faults.errorRate * 100)} % fail` : '',
    faults.hang ? 'hang' : '',
    faults.dropResponseAfterCommit ? 'drop the answer after commit' : '',
    faults.corruptBody ? 'corrupt body' : '',
    faults.decline ? 'decline' : '',
  ].filter(Boolean);
}

/** The payment provider's injected faults; in workshop mode, buttons that switch them. */
export function ProviderFaultsPanel({ faults, workshopMode }: { faults?: ProviderFaults; workshopMode: boolean }) {
  const { problem, send } = useChange();
  const active = faults ? activeFaults(faults) : [];
  return (
    <section className="panel faults" aria-labelledby="faults-title">
      <h2 id="faults-title">Payment provider faults</h2>
      <p data-testid="provider-faults" data-active={active.join(',')}>
        {!faults ? 'asking the provider…' : active.length ? `in force: ${active.join(', ')}${faults.times ? ` (${faults.times} more requests)` : ''}` : 'none: the provider answers normally'}
      </p>
      {workshopMode && (
        <p className="switches">
          {PRESETS.map((preset) => (
            <button key={preset.id} type="button" data-testid={`fault-${preset.id}`} onClick={() => void send('PUT', '/api/provider-faults', preset.faults)}>
              {preset.label}
            </button>
          ))}
          <button type="button" data-testid="fault-clear" onClick={() => void send('DELETE', '/api/provider-faults')}>
            clear
          </button>
        </p>
      )}
      <ChangeProblem problem={problem} />
    </section>
  );
}

import type { BillingRunsView } from '../../src/console-api.js';

/** The instant on the zone's own wall clock, e.g. "Sat 6 Dec, 09:00". */
const wallClock = (iso: string, zone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));

/** Article 9: when each customer time zone's daily billing runs next, as Temporal's timers say. */
export function BillingRunsPanel({ runs }: { runs?: BillingRunsView }) {
  return (
    <section className="panel billing-runs" aria-labelledby="billing-runs-title">
      <h2 id="billing-runs-title">Billing runs due next</h2>
      {!runs && <p className="quiet">asking Temporal for the billing schedules…</p>}
      {runs?.problem && <p className="problem">{runs.problem}</p>}
      {runs && !runs.problem && runs.zones.length === 0 && <p className="quiet">no customer has a billing schedule waiting (a customer gets one with their profile at billing)</p>}
      {runs && runs.zones.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>customer zone</th>
              <th>customers</th>
              <th>next run, on its wall clock</th>
              <th>UTC</th>
            </tr>
          </thead>
          <tbody>
            {runs.zones.map((zone) => (
              <tr key={zone.zone} data-testid={`billing-zone-${zone.zone}`} data-next-run-at={zone.nextRunAt}>
                <td>{zone.zone}</td>
                <td>{zone.customers}</td>
                <td>{wallClock(zone.nextRunAt, zone.zone)}</td>
                <td>{zone.nextRunAt.slice(0, 16).replace('T', ' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {runs && <p className="quiet">from the {runs.schedulesRead} most recently started schedules</p>}
    </section>
  );
}

import type { ClocksView } from '../../src/console-api.js';
import { ChangeProblem } from './ChangeProblem';
import { useChange } from './use-change';

/** The skews the workshop's buttons set: past the services' 60 s tolerance, so tokens and readiness react. */
const SKEWS_MS = [-90_000, 90_000];

const signed = (ms: number) => `${ms >= 0 ? '+' : '−'}${Math.abs(ms) >= 1_000 ? `${(Math.abs(ms) / 1_000).toFixed(1)} s` : `${Math.abs(ms)} ms`}`;

/**
 * Article 2: each service's clock against the console's, the skew the workshop set on it, and how
 * far ahead it sees its peers; in workshop mode, buttons that skew a service (one started in
 * workshop mode) and put it back.
 */
export function ClocksPanel({ clocks, workshopMode }: { clocks?: ClocksView; workshopMode: boolean }) {
  const { problem, send } = useChange();
  return (
    <section className="panel clocks" aria-labelledby="clocks-title">
      <h2 id="clocks-title">Clocks</h2>
      {!clocks && <p className="quiet">asking each service for its time…</p>}
      {clocks && (
        <table>
          <thead>
            <tr>
              <th>service</th>
              <th>its clock vs the console's</th>
              <th>skew set</th>
              <th>its peers, as it measures them</th>
              {workshopMode && <th />}
            </tr>
          </thead>
          <tbody>
            {clocks.services.map((clock) => (
              <tr key={clock.service} data-testid={`clock-${clock.service}`} data-skew-ms={clock.skewMs ?? ''} data-offset-s={clock.offsetMs === undefined ? '' : Math.round(clock.offsetMs / 1_000)}>
                <td>{clock.service}</td>
                <td>{clock.offsetMs === undefined ? <span className="quiet">{clock.problem ?? 'no answer'}</span> : `${signed(clock.offsetMs)} (± ${clock.errorBoundMs} ms)`}</td>
                <td>{clock.skewMs === null ? <span className="quiet">fixed (not in workshop mode)</span> : clock.skewMs === undefined ? '—' : signed(clock.skewMs)}</td>
                <td className="quiet">
                  {Object.entries(clock.peersAheadSeconds)
                    .map(([peer, seconds]) => `${peer} ${signed(Math.round(seconds * 1_000))}`)
                    .join(', ') || '—'}
                </td>
                {workshopMode && (
                  <td>
                    {typeof clock.skewMs === 'number' && (
                      <span className="switches">
                        {SKEWS_MS.map((skewMs) => (
                          <button key={skewMs} type="button" data-testid={`skew-${clock.service}-${skewMs}`} onClick={() => void send('PUT', `/api/clocks/${clock.service}`, { skewMs })}>
                            {signed(skewMs)}
                          </button>
                        ))}
                        <button type="button" data-testid={`skew-${clock.service}-0`} onClick={() => void send('PUT', `/api/clocks/${clock.service}`, { skewMs: 0 })}>
                          true time
                        </button>
                      </span>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ChangeProblem problem={problem} />
    </section>
  );
}

import type { ReplicaView } from '../../src/console-api.js';
import { ChangeProblem } from './ChangeProblem';
import { useChange } from './use-change';

/** "512 B", "48.0 KiB", "3.2 MiB": WAL the replica has not replayed. */
function bytes(count: number): string {
  if (count < 1_024) return `${count} B`;
  if (count < 1_048_576) return `${(count / 1_024).toFixed(1)} KiB`;
  return `${(count / 1_048_576).toFixed(1)} MiB`;
}

/**
 * Article 7: how far the streaming replica is behind, in bytes of WAL and in seconds, against the
 * threshold past which every read goes to the primary, and where each service's reads were served;
 * in workshop mode, the switch that pauses the replica's replay.
 */
export function ReplicaPanel({ replica, workshopMode }: { replica?: ReplicaView; workshopMode: boolean }) {
  const { problem, send } = useChange();
  const paused = replica?.replay === 'paused' || replica?.replay === 'pause requested';
  return (
    <section className="panel replica" aria-labelledby="replica-title">
      <h2 id="replica-title">Read replica</h2>
      {!replica && <p className="quiet">asking the services how far the replica is behind…</p>}
      {replica?.replay !== undefined && (
        <p data-testid="replica-replay" data-state={replica.replay}>
          WAL replay on the replica: <strong>{replica.replay}</strong>
          {workshopMode && (
            <button type="button" data-testid="replica-switch" onClick={() => void send('POST', '/api/replica/replay', { state: paused ? 'replaying' : 'paused' })}>
              {paused ? 'resume replay' : 'pause replay'}
            </button>
          )}
        </p>
      )}
      {replica?.replayProblem && <p className="problem">{replica.replayProblem}</p>}
      {replica && replica.services.length === 0 && <p className="quiet">no running service reads from the replica</p>}
      {replica && replica.services.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>service</th>
              <th>behind</th>
              <th>lag</th>
              <th>reads go to</th>
              <th>reads served (primary · replica)</th>
              <th>why</th>
            </tr>
          </thead>
          <tbody>
            {replica.services.map((view) => (
              <tr
                key={view.service}
                className={view.forcedToPrimary ? 'lagging' : undefined}
                data-testid={`replica-${view.service}`}
                data-behind={view.lagBytes > 0}
                data-forced={view.forcedToPrimary}
                data-primary-reads={view.reads.primary}
                data-replica-reads={view.reads.replica}
              >
                <td>{view.service}</td>
                <td>{bytes(view.lagBytes)}</td>
                <td>
                  {view.lagSeconds.toFixed(1)} s <span className="quiet">(threshold {view.thresholdSeconds} s)</span>
                </td>
                <td>{view.forcedToPrimary ? 'the primary only: the replica lags' : 'the replica, unless a token is not replayed yet'}</td>
                <td>
                  {view.reads.primary} · {view.reads.replica}
                </td>
                <td className="quiet">
                  {Object.entries(view.readsByReason)
                    .map(([why, count]) => `${why} ${count}`)
                    .join(', ') || '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {replica?.problems.map((entry) => (
        <p key={entry.service} className="quiet">
          {entry.service}: {entry.problem}
        </p>
      ))}
      <ChangeProblem problem={problem} />
    </section>
  );
}

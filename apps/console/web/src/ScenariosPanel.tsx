import { useEffect, useRef, useState } from 'react';
import type { ScenarioRunState, ScenariosView } from '../../src/console-api.js';
import { ChangeProblem } from './ChangeProblem';
import { useChange } from './use-change';

const VERDICT: Record<ScenarioRunState, string> = {
  running: 'running…',
  'showed-its-promise': 'showed what its mode promises',
  'did-not-show-its-promise': 'did NOT show what its mode promises',
  'could-not-run': 'could not run',
  stopped: 'stopped from the console',
};

/**
 * The workshop's scenarios, run from the page as `npm run scenario` runs them: choose one and a
 * mode, watch its narration line by line while the other panels move, read its measurements and its
 * verdict at the end. Running one is for workshop mode; the list and the runs are for everyone.
 */
export function ScenariosPanel({ scenarios, workshopMode }: { scenarios?: ScenariosView; workshopMode: boolean }) {
  const { problem, send } = useChange();
  const [chosen, setChosen] = useState('circuit-breaker');
  const [mode, setMode] = useState<'naive' | 'correct'>('naive');
  const narration = useRef<HTMLPreElement>(null);
  const current = scenarios?.current;
  const lineCount = current?.lines.length ?? 0;
  useEffect(() => {
    narration.current?.scrollTo({ top: narration.current.scrollHeight });
  }, [lineCount]);
  const promise = scenarios?.scenarios.find((scenario) => scenario.name === chosen)?.promise[mode];
  return (
    <section className="panel scenarios" aria-labelledby="scenarios-title">
      <h2 id="scenarios-title">Scenarios</h2>
      {scenarios?.problem && <p className="problem">{scenarios.problem}</p>}
      {scenarios && scenarios.scenarios.length > 0 && (
        <p className="switches">
          <select value={chosen} data-testid="scenario-choice" onChange={(event) => setChosen(event.target.value)}>
            {scenarios.scenarios.map((scenario) => (
              <option key={scenario.name} value={scenario.name}>
                {scenario.article}. {scenario.name}: {scenario.title}
              </option>
            ))}
          </select>
          {(['naive', 'correct'] as const).map((choice) => (
            <label key={choice}>
              <input type="radio" name="scenario-mode" value={choice} checked={mode === choice} data-testid={`scenario-mode-${choice}`} onChange={() => setMode(choice)} /> {choice}
            </label>
          ))}
          {workshopMode && (
            <button type="button" data-testid="scenario-run" disabled={current?.state === 'running'} onClick={() => void send('POST', '/api/scenarios/runs', { scenario: chosen, mode })}>
              run
            </button>
          )}
        </p>
      )}
      {promise && <p className="quiet">promise: {promise}</p>}
      {!workshopMode && <p className="quiet">runs start from a console in workshop mode (or `npm run scenario -- &lt;name&gt;`)</p>}
      <ChangeProblem problem={problem} />
      {current && (
        <div data-testid="scenario-current" data-run={current.id} data-scenario={current.scenario} data-mode={current.mode} data-state={current.state}>
          <p>
            <code>{current.command}</code> — <strong className={current.state === 'running' ? undefined : current.state === 'showed-its-promise' ? 'verdict-held' : 'problem'}>{VERDICT[current.state]}</strong>
            {current.exitCode !== undefined && <span className="quiet"> (exit {String(current.exitCode)})</span>}
            {workshopMode && current.state === 'running' && (
              <button type="button" data-testid="scenario-stop" onClick={() => void send('POST', `/api/scenarios/runs/${current.id}/stop`, {})}>
                stop
              </button>
            )}
          </p>
          <pre className="narration" ref={narration} data-testid="scenario-narration">
            {current.lines.join('\n')}
          </pre>
        </div>
      )}
      {scenarios && scenarios.runs.length > 1 && (
        <ol className="quiet" data-testid="scenario-runs">
          {scenarios.runs.slice(1).map((run) => (
            <li key={run.id} data-scenario={run.scenario} data-mode={run.mode} data-state={run.state}>
              {run.startedAt.slice(11, 19)} {run.scenario} {run.mode}: {VERDICT[run.state]}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

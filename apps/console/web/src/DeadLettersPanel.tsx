import type { DeadLetterTopicView, DeadLettersView } from '../../src/console-api.js';
import { ChangeProblem } from './ChangeProblem';
import { useChange } from './use-change';

/** "95 s", "12 min", "3 h": the oldest dead letter's age, as a person reads it. */
function age(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7_200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3_600)} h`;
}

function DeadLetterTopic({ view, workshopMode, redrive }: { view: DeadLetterTopicView; workshopMode: boolean; redrive: (ids?: string[]) => void }) {
  return (
    <div className={`dlq${view.depth > 0 ? ' waiting' : ''}`} data-testid={`dead-letters-${view.consumer}`} data-depth={view.depth}>
      <h3>
        {view.consumer} <span className="quiet">({view.service}, {view.topic})</span>
      </h3>
      <p>
        <strong>{view.depth}</strong> waiting{view.depth > 0 ? `, the oldest failed ${age(view.oldestAgeSeconds)} ago` : ''}
        {workshopMode && view.depth > 0 && (
          <button type="button" data-testid={`redrive-all-${view.consumer}`} onClick={() => redrive()}>
            redrive all {view.depth}
          </button>
        )}
      </p>
      {view.problem && <p className="problem">{view.problem}</p>}
      {view.letters.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>id</th>
              <th>key</th>
              <th>why</th>
              <th>from</th>
              <th>attempts</th>
              <th>first failed</th>
              {workshopMode && <th />}
            </tr>
          </thead>
          <tbody>
            {view.letters.map((letter) => (
              <tr key={letter.id} data-testid="dead-letter" data-id={letter.id} data-key={letter.key ?? ''} data-retryable={letter.retryable}>
                <td>#{letter.id}</td>
                <td>{letter.key?.slice(0, 8) ?? '—'}</td>
                <td title={letter.errorMessage}>
                  {letter.reason} · {letter.errorClass}
                  {letter.retryable ? ' · retryable' : ''}
                </td>
                <td>{letter.source}</td>
                <td>{letter.attempts}</td>
                <td>{letter.firstFailureAt.slice(11, 23)}</td>
                {workshopMode && (
                  <td>
                    <button type="button" data-testid={`redrive-${view.consumer}-${letter.id}`} onClick={() => redrive([letter.id])}>
                      redrive
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * Article 3: each running consumer's dead letters, how many and how old, the newest listed with why
 * they failed and where they came from; in workshop mode, buttons that send them back to the consumer.
 */
export function DeadLettersPanel({ deadLetters, workshopMode }: { deadLetters?: DeadLettersView; workshopMode: boolean }) {
  const { problem, send } = useChange();
  const redrive = (topic: string) => (ids?: string[]) => void send('POST', `/api/dead-letters/${encodeURIComponent(topic)}/redrive`, ids ? { ids } : {});
  return (
    <section className="panel dead-letters" aria-labelledby="dead-letters-title">
      <h2 id="dead-letters-title">Dead letters</h2>
      {!deadLetters && <p className="quiet">asking the services for their consumers and Kafka for their dead letters…</p>}
      {deadLetters?.problems.map((entry) => (
        <p key={entry.service} className="quiet">
          {entry.service}: {entry.problem}
        </p>
      ))}
      {deadLetters && deadLetters.topics.length === 0 && <p className="quiet">no running service reports a dead-letter topic yet (each reports it within 10 s of starting)</p>}
      {deadLetters?.topics.map((view) => <DeadLetterTopic key={view.topic} view={view} workshopMode={workshopMode} redrive={redrive(view.topic)} />)}
      <ChangeProblem problem={problem} />
    </section>
  );
}

import type { ConsumerGroupsView } from '../../src/console-api.js';

interface ConsumerGroupsPanelProps {
  groups?: ConsumerGroupsView;
  /** Only the groups whose id contains this (a long-lived broker collects many groups). */
  filter: string;
  onFilter: (filter: string) => void;
}

/** Each service's consumer group per topic: how far behind the topic's end it is, most behind first. */
export function ConsumerGroupsPanel({ groups, filter, onFilter }: ConsumerGroupsPanelProps) {
  return (
    <section className="panel groups" aria-labelledby="groups-title">
      <h2 id="groups-title">Consumer groups</h2>
      <label className="filter">
        group id contains{' '}
        <input type="search" value={filter} maxLength={200} data-testid="group-filter" onChange={(event) => onFilter(event.target.value)} />
      </label>
      {!groups && <p className="quiet">asking Kafka for the groups' positions…</p>}
      {groups?.problem && <p className="problem">{groups.problem}</p>}
      {groups && !groups.problem && groups.groups.length === 0 && <p className="quiet">{filter ? 'no group matches' : 'no service has consumed yet'}</p>}
      {groups && groups.groups.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>group</th>
              <th>topic</th>
              <th>state</th>
              <th>lag</th>
              <th>behind in (partition: committed → end)</th>
            </tr>
          </thead>
          <tbody>
            {groups.groups.map((group) => (
              <tr
                key={`${group.groupId}/${group.topic}`}
                className={group.lag > 0 ? 'lagging' : undefined}
                data-group={group.groupId}
                data-topic={group.topic}
                data-lag={group.lag}
              >
                <td>{group.groupId}</td>
                <td>{group.topic}</td>
                <td>
                  {group.state}
                  {group.members > 0 ? ` · ${group.members} member${group.members > 1 ? 's' : ''}` : ''}
                </td>
                <td>{group.lag}</td>
                <td>{group.behind.map((p) => `${p.partition}: ${p.committed} → ${p.end}`).join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The Dashboard's word on groups a failover left running on one member until they are re-protected. */
import { useApp } from '../../store/store-context';
import { selectGroupStates, selectGroups, selectServers } from '../../store/selectors';
import { hashOf } from '../../app/routing';

export function RedundancyNotice() {
  const states = useApp(selectGroupStates);
  const groups = useApp(selectGroups);
  const servers = useApp(selectServers);
  const unprotected = states.filter((s) => s.redundancy === 'without-redundancy');
  if (unprotected.length === 0) return null;
  const nameOf = (id: number) => servers.find((s) => s.id === id)?.name ?? `server ${id}`;
  return (
    <section aria-labelledby="redundancy-title" className="panel" data-testid="without-redundancy">
      <h2 id="redundancy-title" className="panel-title">
        Running without redundancy
        <span className="count-pill count-pill-warning">{unprotected.length}</span>
      </h2>
      <ul className="unprotected-list">
        {unprotected.map((s) => (
          <li key={s.groupId}>
            <strong>{groups.find((g) => g.id === s.groupId)?.name ?? `group ${s.groupId}`}</strong> runs on{' '}
            {nameOf(s.primaryServerId)} alone since {new Date(s.since).toLocaleString()}: {s.detail}.{' '}
            <a href={hashOf('failover')}>Re-protect it</a>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Service groups as cards: who is primary and standby, the VIPs, the data and the processes. */
import { useMemo, useState } from 'react';
import type { ServiceGroup } from '../../../../shared/domain';
import { DeleteEntityDialog } from '../../components/DeleteEntityDialog';
import { PlusIcon, WarningIcon } from '../../components/icons';
import { ScreenHeader } from '../../components/ScreenHeader';
import { TierBadge } from '../../components/TierBadge';
import { useApp } from '../../store/store-context';
import { selectGroups, selectServers, selectServices } from '../../store/selectors';
import { GroupForm } from './GroupForm';
import { describeData, describeVip } from './group-summary';

type Editing = { group?: ServiceGroup } | null;

/** The units that fail over, each with what it carries. */
export function GroupsScreen() {
  const groups = useApp(selectGroups);
  const servers = useApp(selectServers);
  const services = useApp(selectServices);
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<ServiceGroup | null>(null);
  const serverName = useMemo(() => new Map(servers.map((s) => [s.id, s.name])), [servers]);
  const sorted = useMemo(() => [...groups].sort((a, b) => a.name.localeCompare(b.name)), [groups]);

  return (
    <>
      <ScreenHeader
        title="Service groups"
        description="What moves together from one server to another when a primary dies."
      >
        <button type="button" className="button button-primary" onClick={() => setEditing({})}>
          <PlusIcon />
          Add service group
        </button>
      </ScreenHeader>
      {groups.length === 0 && (
        <div className="empty-state">
          <p>
            No service groups yet. A group is a primary and its standbys, the virtual IPs clients use, and how the data
            follows.
          </p>
        </div>
      )}
      <div className="card-grid">
        {sorted.map((group) => {
          const carried = services.filter((s) => s.groupId === group.id);
          const primary = group.members.find((m) => m.role === 'primary');
          const standbys = group.members.filter((m) => m.role === 'standby');
          return (
            <article
              key={group.id}
              className="panel group-card"
              aria-labelledby={`group-${group.id}-title`}
              data-testid="group-card"
            >
              <header className="group-card-header">
                <h2 id={`group-${group.id}-title`} className="mono">
                  {group.name}
                </h2>
                <div className="card-buttons">
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => setEditing({ group })}
                    aria-label={`Edit ${group.name}`}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="button button-small button-quiet-danger"
                    onClick={() => setDeleting(group)}
                    aria-label={`Delete ${group.name}`}
                  >
                    Delete
                  </button>
                </div>
              </header>
              {group.description && <p className="muted">{group.description}</p>}
              <div className="failover-line" aria-label="Members">
                <span className="member member-primary">
                  {primary ? serverName.get(primary.serverId) : 'no primary'}
                </span>
                <span className="failover-arrow" aria-hidden="true">
                  →
                </span>
                {standbys.length > 0 ? (
                  standbys.map((m) => (
                    <span key={m.serverId} className="member member-standby">
                      {serverName.get(m.serverId)}
                    </span>
                  ))
                ) : (
                  <span className="member member-missing">
                    <WarningIcon /> no standby
                  </span>
                )}
              </div>
              <dl className="group-facts">
                <div>
                  <dt>Virtual IPs</dt>
                  <dd className="mono">
                    {group.vips.length ? (
                      group.vips.map((v) => describeVip(v, serverName)).join('; ')
                    ) : (
                      <span className="muted">none</span>
                    )}
                  </dd>
                </div>
                <div>
                  <dt>Data</dt>
                  <dd>{describeData(group.data)}</dd>
                </div>
                <div>
                  <dt>Processes</dt>
                  <dd>
                    {group.processes.length ? (
                      <span className="chips">
                        {group.processes.map((p) => (
                          <code key={p} className="chip">
                            {p}
                          </code>
                        ))}
                      </span>
                    ) : (
                      <span className="muted">none</span>
                    )}
                  </dd>
                </div>
                <div>
                  <dt>Services</dt>
                  <dd>
                    {carried.length ? (
                      <span className="chips">
                        {carried.map((s) => (
                          <span key={s.id} className="service-chip">
                            <TierBadge tier={s.tier} /> {s.name}
                          </span>
                        ))}
                      </span>
                    ) : (
                      <span className="muted">none</span>
                    )}
                  </dd>
                </div>
              </dl>
            </article>
          );
        })}
      </div>
      {editing && <GroupForm group={editing.group} onClose={() => setEditing(null)} />}
      {deleting && (
        <DeleteEntityDialog
          method="groups.delete"
          noun="service group"
          entity={deleting}
          consequence="Services that run on it will run on no group, and show as unprotected."
          onClose={() => setDeleting(null)}
        />
      )}
    </>
  );
}

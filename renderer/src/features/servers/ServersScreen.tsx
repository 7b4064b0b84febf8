/** The server inventory: a filterable table with add, edit and delete. */
import { useMemo, useState } from 'react';
import type { Server } from '../../../../shared/domain';
import { DeleteEntityDialog } from '../../components/DeleteEntityDialog';
import { RowActions, RowActionsHeader } from '../../components/RowActions';
import { namesBy } from '../../components/format';
import { PlusIcon } from '../../components/icons';
import { ScreenHeader } from '../../components/ScreenHeader';
import { useApp } from '../../store/store-context';
import { selectApi, selectGroups, selectServers, selectSites } from '../../store/selectors';
import { PasswordDialog } from '../health/PasswordDialog';
import { ServerForm } from './ServerForm';
import { SshConfigImportDialog } from './SshConfigImportDialog';

type Editing = { server?: Server } | null;

/** Servers, with the groups each belongs to. */
export function ServersScreen() {
  const servers = useApp(selectServers);
  const groups = useApp(selectGroups);
  const sites = useApp(selectSites);
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<Server | null>(null);
  const [importing, setImporting] = useState(false);
  const [passwordFor, setPasswordFor] = useState<Server | null>(null);
  const api = useApp(selectApi);

  const membership = useMemo(
    () => namesBy(groups, (group) => group.members.map((m) => [m.serverId, `${group.name} (${m.role})`] as const)),
    [groups],
  );
  const siteName = useMemo(() => new Map(sites.map((s) => [s.id, s.name])), [sites]);
  const rows = useMemo(() => {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    const sorted = [...servers].sort((a, b) => a.name.localeCompare(b.name));
    if (words.length === 0) return sorted;
    return sorted.filter((server) => {
      const text = [
        server.name,
        server.role,
        server.os,
        server.ssh.host,
        ...server.addresses,
        ...(membership.get(server.id) ?? []),
        siteName.get(server.siteId ?? -1) ?? '',
      ]
        .join(' ')
        .toLowerCase();
      return words.every((word) => text.includes(word));
    });
  }, [servers, filter, membership, siteName]);

  return (
    <>
      <ScreenHeader
        title="Servers"
        description="Every machine the business runs on, and how Lifeboat reaches it over SSH."
      >
        <button type="button" className="button" onClick={() => setImporting(true)}>
          Import from SSH config…
        </button>
        <button type="button" className="button button-primary" onClick={() => setEditing({})}>
          <PlusIcon />
          Add server
        </button>
      </ScreenHeader>
      <div className="table-tools">
        <label htmlFor="server-filter" className="visually-hidden">
          Filter servers
        </label>
        <input
          id="server-filter"
          type="search"
          className="filter-input"
          placeholder="Filter by name, address, role, group…"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <span className="muted" aria-live="polite">
          {rows.length === servers.length ? `${servers.length} servers` : `${rows.length} of ${servers.length} servers`}
        </span>
      </div>
      {servers.length === 0 ? (
        <div className="empty-state">
          <p>
            No servers yet. Add the machines your services run on, starting with the ones the business cannot do
            without.
          </p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data-table" data-testid="servers-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Addresses</th>
                <th scope="col">OS</th>
                <th scope="col">SSH</th>
                <th scope="col">Role</th>
                <th scope="col">Groups</th>
                <RowActionsHeader />
              </tr>
            </thead>
            <tbody>
              {rows.map((server) => (
                <tr key={server.id} data-testid="server-row">
                  <th scope="row" className="mono">
                    {server.name}
                  </th>
                  <td className="mono">{server.addresses.join(', ') || '—'}</td>
                  <td>{server.os === 'openbsd' ? 'OpenBSD' : 'Linux'}</td>
                  <td className="mono nowrap">
                    {server.ssh.user}@{server.ssh.host}
                    {server.ssh.port !== 22 ? `:${server.ssh.port}` : ''}
                  </td>
                  <td>{server.role || <span className="muted">—</span>}</td>
                  <td>{(membership.get(server.id) ?? []).join(', ') || <span className="muted">none</span>}</td>
                  <RowActions
                    name={server.name}
                    onEdit={() => setEditing({ server })}
                    onDelete={() => setDeleting(server)}
                  >
                    {server.ssh.auth.kind === 'password' && (
                      <button
                        type="button"
                        className="button button-small"
                        onClick={() => setPasswordFor(server)}
                        aria-label={`SSH password of ${server.name}`}
                      >
                        Password…
                      </button>
                    )}
                  </RowActions>
                </tr>
              ))}
              {rows.length === 0 && (
                <tr>
                  <td colSpan={7} className="muted">
                    No server matches “{filter}”.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {editing && <ServerForm server={editing.server} onClose={() => setEditing(null)} />}
      {importing && <SshConfigImportDialog onClose={() => setImporting(false)} />}
      {passwordFor && (
        <PasswordDialog
          api={api}
          serverId={passwordFor.id}
          serverName={passwordFor.name}
          onClose={() => setPasswordFor(null)}
        />
      )}
      {deleting && (
        <DeleteEntityDialog
          method="servers.delete"
          noun="server"
          entity={deleting}
          consequence="Its SSH details and hardware notes go with it."
          onClose={() => setDeleting(null)}
        />
      )}
    </>
  );
}

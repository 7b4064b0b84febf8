/** Sites: the places servers stand, with the servers at each. */
import { useMemo, useState } from 'react';
import type { Site } from '../../../../shared/domain';
import { DeleteEntityDialog } from '../../components/DeleteEntityDialog';
import { RowActions, RowActionsHeader } from '../../components/RowActions';
import { namesBy } from '../../components/format';
import { PlusIcon } from '../../components/icons';
import { ScreenHeader } from '../../components/ScreenHeader';
import { useApp } from '../../store/store-context';
import { selectServers, selectSites } from '../../store/selectors';
import { SiteForm } from './SiteForm';

type Editing = { site?: Site } | null;

/** A table of sites by name, with add, edit and delete. */
export function SitesScreen() {
  const sites = useApp(selectSites);
  const servers = useApp(selectServers);
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<Site | null>(null);
  const sorted = useMemo(() => [...sites].sort((a, b) => a.name.localeCompare(b.name)), [sites]);
  const serversAt = useMemo(() => namesBy(servers, (s) => [[s.siteId, s.name]]), [servers]);

  return (
    <>
      <ScreenHeader
        title="Sites"
        description="Where the servers stand: the office, a rack in a data centre, a cupboard."
      >
        <button type="button" className="button button-primary" onClick={() => setEditing({})}>
          <PlusIcon />
          Add site
        </button>
      </ScreenHeader>
      {sites.length === 0 ? (
        <div className="empty-state">
          <p>No sites yet. Add each place with servers, so the plan says where to go when one must be touched.</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data-table" data-testid="sites-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="wide">
                  Address
                </th>
                <th scope="col">Servers</th>
                <RowActionsHeader />
              </tr>
            </thead>
            <tbody>
              {sorted.map((site) => (
                <tr key={site.id} data-testid="site-row">
                  <th scope="row">
                    {site.name}
                    {site.notes && <span className="muted contact-notes">{site.notes}</span>}
                  </th>
                  <td>{site.address || <span className="muted">—</span>}</td>
                  <td className="mono">
                    {(serversAt.get(site.id) ?? []).join(', ') || <span className="muted">—</span>}
                  </td>
                  <RowActions name={site.name} onEdit={() => setEditing({ site })} onDelete={() => setDeleting(site)} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && <SiteForm site={editing.site} onClose={() => setEditing(null)} />}
      {deleting && (
        <DeleteEntityDialog
          method="sites.delete"
          noun="site"
          entity={deleting}
          consequence={
            serversAt.has(deleting.id)
              ? `Its servers (${serversAt.get(deleting.id)!.join(', ')}) will have no site.`
              : 'No server stands there.'
          }
          onClose={() => setDeleting(null)}
        />
      )}
    </>
  );
}

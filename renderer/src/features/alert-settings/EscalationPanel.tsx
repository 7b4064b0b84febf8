/** How each contact is reached when an alert escalates, in escalation order, and the levels that gives. */
import { useEffect, useState } from 'react';
import type { ContactRoute, WebhookChannel } from '../../../../shared/alerting';
import type { EscalationView } from '../../../../shared/contract/alerts';
import type { Contact } from '../../../../shared/domain';
import { useApp } from '../../store/store-context';
import { selectCall, selectContacts, selectNotify } from '../../store/selectors';

const routesOf = (view: EscalationView, contacts: readonly Contact[]): ContactRoute[] =>
  contacts.map(
    (c) => view.routes.find((r) => r.contactId === c.id) ?? { contactId: c.id, email: false, webhookId: null },
  );

/** The contact list with a route per contact. */
export function EscalationPanel({ view, webhooks }: { view: EscalationView; webhooks: readonly WebhookChannel[] }) {
  const call = useApp(selectCall);
  const notify = useApp(selectNotify);
  const contacts = useApp(selectContacts);
  const [routes, setRoutes] = useState(() => routesOf(view, contacts));
  const [busy, setBusy] = useState(false);
  useEffect(() => setRoutes(routesOf(view, contacts)), [view, contacts]);
  const change = (contactId: number, patch: Partial<ContactRoute>) =>
    setRoutes((all) => all.map((r) => (r.contactId === contactId ? { ...r, ...patch } : r)));
  const save = async () => {
    setBusy(true);
    try {
      await call('alerts.routes.save', { routes });
      notify('success', 'Saved how contacts are reached.');
    } catch (error) {
      notify('error', `The routes were not saved: ${(error as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="alert-escalation-title" data-testid="alert-escalation">
      <h2 id="alert-escalation-title" className="panel-title">
        Who is told, in escalation order
      </h2>
      <table className="table alert-table">
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Contact</th>
            <th scope="col">By email</th>
            <th scope="col">By channel</th>
          </tr>
        </thead>
        <tbody>
          {contacts.map((contact) => {
            const route = routes.find((r) => r.contactId === contact.id)!;
            if (!route) return null;
            return (
              <tr key={contact.id}>
                <td>{contact.escalationOrder}</td>
                <td>
                  {contact.name} <span className="muted">{contact.role}</span>
                </td>
                <td>
                  <label>
                    <input
                      type="checkbox"
                      checked={route.email}
                      disabled={!contact.email}
                      onChange={(e) => change(contact.id, { email: e.target.checked })}
                    />{' '}
                    {contact.email || <span className="muted">no address</span>}
                  </label>
                </td>
                <td>
                  <select
                    aria-label={`Channel for ${contact.name}`}
                    value={route.webhookId ?? ''}
                    onChange={(e) => change(contact.id, { webhookId: e.target.value ? Number(e.target.value) : null })}
                  >
                    <option value="">none</option>
                    {webhooks.map((w) => (
                      <option key={w.id} value={w.id}>
                        {w.name}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="alert-actions">
        <button type="button" className="button button-primary" disabled={busy} onClick={() => void save()}>
          Save routes
        </button>
      </div>
      <h3 className="alert-subtitle">As saved</h3>
      {view.levels.length === 0 ? (
        <p className="health-banner">
          Nobody on the contact list can be reached yet: alerts go only to the channels above.
        </p>
      ) : (
        <ol className="alert-levels">
          {view.levels.map((level, i) => (
            <li key={level.order}>
              {i === 0 ? 'At once' : 'If nobody acknowledges, next'}: {level.contacts.join(', ')}{' '}
              <span className="muted">({level.how.join('; ')})</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Contacts and roles in escalation order: who to call, in what order, and how. */
import { useMemo, useState } from 'react';
import type { Contact } from '../../../../shared/domain';
import { DeleteEntityDialog } from '../../components/DeleteEntityDialog';
import { RowActions, RowActionsHeader } from '../../components/RowActions';
import { namesBy } from '../../components/format';
import { PlusIcon } from '../../components/icons';
import { ScreenHeader } from '../../components/ScreenHeader';
import { useApp } from '../../store/store-context';
import { selectContacts, selectServices } from '../../store/selectors';
import { ContactForm } from './ContactForm';

type Editing = { contact?: Contact } | null;

/** A table sorted by escalation order, with the services each contact owns. */
export function ContactsScreen() {
  const contacts = useApp(selectContacts);
  const services = useApp(selectServices);
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<Contact | null>(null);
  const sorted = useMemo(
    () => [...contacts].sort((a, b) => a.escalationOrder - b.escalationOrder || a.name.localeCompare(b.name)),
    [contacts],
  );
  const owned = useMemo(() => namesBy(services, (s) => [[s.ownerContactId, s.name]]), [services]);

  return (
    <>
      <ScreenHeader title="Contacts" description="The people and vendors to call, in the order to call them.">
        <button type="button" className="button button-primary" onClick={() => setEditing({})}>
          <PlusIcon />
          Add contact
        </button>
      </ScreenHeader>
      {contacts.length === 0 ? (
        <div className="empty-state">
          <p>No contacts yet. Start with who is on call, who declares a disaster, and each vendor’s support line.</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data-table" data-testid="contacts-table">
            <thead>
              <tr>
                <th scope="col" className="numeric">
                  Order
                </th>
                <th scope="col">Name</th>
                <th scope="col" className="wide">
                  Role
                </th>
                <th scope="col">Phones</th>
                <th scope="col">Email</th>
                <th scope="col">Owns</th>
                <RowActionsHeader />
              </tr>
            </thead>
            <tbody>
              {sorted.map((contact) => (
                <tr key={contact.id} data-testid="contact-row">
                  <td className="numeric">{contact.escalationOrder}</td>
                  <th scope="row">
                    <span className="contact-name">{contact.name}</span>
                    <span className="contact-organisation">
                      <span className={`kind-badge kind-${contact.kind}`}>
                        {contact.kind === 'vendor' ? 'Vendor' : 'Internal'}
                      </span>
                      {contact.organisation && <span className="muted"> {contact.organisation}</span>}
                    </span>
                  </th>
                  <td>
                    {contact.role || <span className="muted">—</span>}
                    {contact.notes && <span className="muted contact-notes">{contact.notes}</span>}
                  </td>
                  <td className="mono nowrap">
                    {contact.phones.length ? (
                      contact.phones.map((p) => (
                        <span key={p} className="block">
                          {p}
                        </span>
                      ))
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>{contact.email || <span className="muted">—</span>}</td>
                  <td>{(owned.get(contact.id) ?? []).join(', ') || <span className="muted">—</span>}</td>
                  <RowActions
                    name={contact.name}
                    onEdit={() => setEditing({ contact })}
                    onDelete={() => setDeleting(contact)}
                  />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && <ContactForm contact={editing.contact} onClose={() => setEditing(null)} />}
      {deleting && (
        <DeleteEntityDialog
          method="contacts.delete"
          noun="contact"
          entity={deleting}
          consequence="Services they own will have no owner."
          onClose={() => setDeleting(null)}
        />
      )}
    </>
  );
}

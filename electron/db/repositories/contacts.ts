/** Contacts: people and vendors to call, in escalation order. */
import type { Db } from '../connection';
import type { Contact } from '../../../shared/domain';
import { fromJson, toJson } from './json';

type ContactRow = Omit<Contact, 'phones' | 'escalationOrder'> & { phones: string; escalation_order: number };

export function listContacts(db: Db): Contact[] {
  return db
    .prepare<[], ContactRow>(
      'SELECT id, name, role, organisation, kind, phones, email, escalation_order, notes FROM contacts ORDER BY escalation_order, name',
    )
    .all()
    .map(({ phones, escalation_order, ...row }) => ({
      ...row,
      phones: fromJson(phones, []),
      escalationOrder: escalation_order,
    }));
}

export function saveContact(db: Db, contact: Omit<Contact, 'id'> & { id?: number }): Contact {
  const params = {
    ...contact,
    id: contact.id ?? null,
    phones: toJson(contact.phones),
    escalation_order: contact.escalationOrder,
  };
  if (contact.id === undefined) {
    const { lastInsertRowid } = db
      .prepare(
        `INSERT INTO contacts (name, role, organisation, kind, phones, email, escalation_order, notes)
         VALUES (@name, @role, @organisation, @kind, @phones, @email, @escalation_order, @notes)`,
      )
      .run(params);
    return { ...contact, id: Number(lastInsertRowid) };
  }
  db.prepare(
    `UPDATE contacts SET name = @name, role = @role, organisation = @organisation, kind = @kind, phones = @phones,
       email = @email, escalation_order = @escalation_order, notes = @notes WHERE id = @id`,
  ).run(params);
  return contact as Contact;
}

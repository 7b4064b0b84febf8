/** The contact form's fields as typed text, and how they become a ContactDraft for the API. */
import type { Contact, ContactDraft } from '../../../../shared/domain';
import { parseNumber, splitList } from '../../components/format';

export interface ContactFields {
  name: string;
  role: string;
  organisation: string;
  kind: 'internal' | 'vendor';
  phones: string;
  email: string;
  escalationOrder: string;
  notes: string;
}

/** Labels by field key, for the controls and the error summary. */
export const CONTACT_LABELS: Record<keyof ContactFields, string> = {
  name: 'Name',
  role: 'Role in a disaster',
  organisation: 'Organisation',
  kind: 'Kind',
  phones: 'Phone numbers',
  email: 'Email',
  escalationOrder: 'Escalation order',
  notes: 'Notes',
};

/** The fields of an existing contact, or of a new one placed after the others. */
export function contactFields(contact: Contact | undefined, nextOrder: number): ContactFields {
  return {
    name: contact?.name ?? '',
    role: contact?.role ?? '',
    organisation: contact?.organisation ?? '',
    kind: contact?.kind ?? 'internal',
    phones: contact?.phones.join(', ') ?? '',
    email: contact?.email ?? '',
    escalationOrder: String(contact?.escalationOrder ?? nextOrder),
    notes: contact?.notes ?? '',
  };
}

/** The draft the API takes; phone numbers are separated by commas (they contain spaces). */
export function contactDraft(fields: ContactFields, id?: number): ContactDraft {
  return {
    ...(id === undefined ? {} : { id }),
    name: fields.name.trim(),
    role: fields.role.trim(),
    organisation: fields.organisation.trim(),
    kind: fields.kind,
    phones: splitList(fields.phones, /[,;\n]+/),
    email: fields.email.trim(),
    escalationOrder: parseNumber(fields.escalationOrder),
    notes: fields.notes.trim(),
  };
}

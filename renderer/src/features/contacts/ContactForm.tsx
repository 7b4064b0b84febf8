/** Add or edit a contact: internal people and vendors, with phones and their place in the escalation. */
import { useCallback } from 'react';
import { ContactDraft, type Contact } from '../../../../shared/domain';
import { EntityFormDialog } from '../../components/EntityFormDialog';
import { SelectField, TextField } from '../../components/fields';
import { schemaIssues } from '../../components/form-issues';
import { useDraftForm } from '../../components/use-draft-form';
import { useApp } from '../../store/store-context';
import { selectCall, selectContacts, selectNotify } from '../../store/selectors';
import { CONTACT_LABELS, contactDraft, contactFields, type ContactFields } from './contact-fields';

const KIND_OPTIONS = [
  { value: 'internal', label: 'Internal: someone in the business' },
  { value: 'vendor', label: 'Vendor: a supplier’s support line' },
];

/** The contact dialog; `contact` absent means a new one. */
export function ContactForm({ contact, onClose }: { contact?: Contact; onClose: () => void }) {
  const call = useApp(selectCall);
  const notify = useApp(selectNotify);
  const contacts = useApp(selectContacts);
  const nextOrder = Math.min(99, contacts.reduce((max, c) => Math.max(max, c.escalationOrder), 0) + 1);
  const validate = useCallback(
    (fields: ContactFields) => schemaIssues(ContactDraft, contactDraft(fields, contact?.id)),
    [contact?.id],
  );
  const form = useDraftForm({
    id: 'contact-form',
    initial: contactFields(contact, nextOrder),
    validate,
    save: async (fields) => {
      const saved = await call('contacts.save', contactDraft(fields, contact?.id));
      notify('success', `Saved contact ${saved.name}.`);
      onClose();
    },
  });
  const field = <K extends keyof ContactFields>(key: K, nested = false) => ({
    ...form.bind(key, nested),
    label: CONTACT_LABELS[key],
  });

  return (
    <EntityFormDialog
      noun="contact"
      entity={contact}
      size="medium"
      form={form}
      labels={CONTACT_LABELS}
      onClose={onClose}
    >
      <div className="form-grid">
        <TextField {...field('name')} />
        <SelectField
          {...field('kind')}
          onChange={(value) => form.bind('kind').onChange(value as ContactFields['kind'])}
          options={KIND_OPTIONS}
        />
        <TextField {...field('role')} optional hint="e.g. declares a disaster, talks to staff" />
        <TextField {...field('organisation')} optional />
        <TextField {...field('phones', true)} type="tel" optional hint="Separate several numbers with commas" />
        <TextField {...field('email')} type="email" optional />
        <TextField {...field('escalationOrder')} inputMode="numeric" hint="1 is called first" />
      </div>
      <TextField {...field('notes')} optional multiline hint="Contract numbers, account numbers, opening hours" />
    </EntityFormDialog>
  );
}

/** Add or edit a service: tier, recovery objectives, cost, workaround, owner, group and dependencies. */
import { useCallback } from 'react';
import { ServiceDraft, TIERS, type Service, type Tier } from '../../../../shared/domain';
import { EntityFormDialog } from '../../components/EntityFormDialog';
import { CheckList, SelectField, TextField } from '../../components/fields';
import { fieldId, schemaIssues } from '../../components/form-issues';
import { TIER_LABEL, TIER_MEANING, formatMinutes, parseNumber } from '../../components/format';
import { useDraftForm } from '../../components/use-draft-form';
import { useApp } from '../../store/store-context';
import { selectCall, selectContacts, selectGroups, selectNotify, selectServices } from '../../store/selectors';
import { SERVICE_LABELS, serviceDraft, serviceFields, type ServiceFields } from './service-fields';

const TIER_OPTIONS = TIERS.map((tier) => ({
  value: tier,
  label: `${TIER_LABEL[tier]}: ${TIER_MEANING[tier].toLowerCase()}`,
}));

/** "= 2 days" under a minutes field, once it holds a number. */
function durationHint(text: string, fallback: string): string {
  const minutes = parseNumber(text);
  return minutes !== undefined && Number.isInteger(minutes) && minutes >= 0 ? `${formatMinutes(minutes)}` : fallback;
}

/** The service dialog; `service` absent means a new one, starting in `tier`. */
export function ServiceForm({ service, tier, onClose }: { service?: Service; tier?: Tier; onClose: () => void }) {
  const call = useApp(selectCall);
  const notify = useApp(selectNotify);
  const contacts = useApp(selectContacts);
  const groups = useApp(selectGroups);
  const services = useApp(selectServices);
  const validate = useCallback(
    (fields: ServiceFields) => schemaIssues(ServiceDraft, serviceDraft(fields, service?.id)),
    [service?.id],
  );
  const form = useDraftForm({
    id: 'service-form',
    initial: serviceFields(service, tier),
    validate,
    save: async (fields) => {
      const saved = await call('services.save', serviceDraft(fields, service?.id));
      notify('success', `Saved service ${saved.name}.`);
      onClose();
    },
  });
  const field = <K extends keyof ServiceFields>(key: K, nested = false) => ({
    ...form.bind(key, nested),
    label: SERVICE_LABELS[key],
  });
  const contactOptions = [
    { value: '', label: 'Nobody yet' },
    ...contacts.map((c) => ({ value: String(c.id), label: c.role ? `${c.name} — ${c.role}` : c.name })),
  ];
  const groupOptions = [{ value: '', label: 'None' }, ...groups.map((g) => ({ value: String(g.id), label: g.name }))];
  const dependencyOptions = services.filter((s) => s.id !== service?.id).map((s) => ({ value: s.id, label: s.name }));

  return (
    <EntityFormDialog
      noun="service"
      entity={service}
      size="large"
      form={form}
      labels={SERVICE_LABELS}
      onClose={onClose}
    >
      <div className="form-grid">
        <TextField {...field('name')} />
        <SelectField
          {...field('tier')}
          onChange={(value) => form.bind('tier').onChange(value as Tier)}
          options={TIER_OPTIONS}
        />
        <TextField {...field('description')} optional className="span-2" />
        <TextField
          {...field('rtoMinutes')}
          inputMode="numeric"
          hint={durationHint(form.values.rtoMinutes, 'How long the business can wait for it')}
        />
        <TextField
          {...field('rpoMinutes')}
          inputMode="numeric"
          optional
          hint={durationHint(form.values.rpoMinutes, 'How much recent data may be lost; empty when it holds none')}
        />
        <TextField
          {...field('costPerHour')}
          inputMode="decimal"
          optional
          hint="What an hour without it costs, roughly"
        />
        <TextField {...field('hostedBy')} optional hint="An outside provider, if it is not run in-house" />
        <SelectField {...field('ownerContactId')} options={contactOptions} />
        <SelectField {...field('groupId')} options={groupOptions} hint="The group that fails over with it" />
        <TextField
          {...field('workaround')}
          optional
          multiline
          className="span-2"
          hint="What staff do meanwhile, e.g. paper forms, keyed in later"
        />
      </div>
      <CheckList
        id={fieldId(form.id, 'dependsOn')}
        legend={SERVICE_LABELS.dependsOn}
        hint="Services that must be up before this one works"
        options={dependencyOptions}
        selected={form.values.dependsOn}
        errors={form.errorsFor('dependsOn', true)}
        onChange={(selected) => form.update('dependsOn', (previous) => ({ ...previous, dependsOn: selected }))}
        empty="No other services yet."
      />
    </EntityFormDialog>
  );
}

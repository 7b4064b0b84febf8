/** Add or edit a service group: members, virtual IPs, data and processes. */
import { useCallback } from 'react';
import { ServiceGroupDraft, type ServiceGroup } from '../../../../shared/domain';
import { EntityFormDialog } from '../../components/EntityFormDialog';
import { TextField } from '../../components/fields';
import { schemaIssues } from '../../components/form-issues';
import { useDraftForm } from '../../components/use-draft-form';
import { useApp } from '../../store/store-context';
import { selectCall, selectNotify, selectServers } from '../../store/selectors';
import { GROUP_LABELS, groupDraft, groupFields, type GroupFields } from './group-fields';
import { GroupDataFieldset } from './GroupDataFieldset';
import { GroupMembersFieldset } from './GroupMembersFieldset';
import { GroupVipsFieldset } from './GroupVipsFieldset';

/** The group dialog; `group` absent means a new one. */
export function GroupForm({ group, onClose }: { group?: ServiceGroup; onClose: () => void }) {
  const call = useApp(selectCall);
  const notify = useApp(selectNotify);
  const servers = useApp(selectServers);
  const validate = useCallback(
    (fields: GroupFields) => schemaIssues(ServiceGroupDraft, groupDraft(fields, group?.id)),
    [group?.id],
  );
  const form = useDraftForm({
    id: 'group-form',
    initial: groupFields(group),
    validate,
    save: async (fields) => {
      const saved = await call('groups.save', groupDraft(fields, group?.id));
      notify('success', `Saved service group ${saved.name}.`);
      onClose();
    },
  });

  return (
    <EntityFormDialog
      noun="service group"
      entity={group}
      size="large"
      form={form}
      labels={GROUP_LABELS}
      onClose={onClose}
      testId="group-form"
      addLabel="Add group"
    >
      <div className="form-grid">
        <TextField
          {...form.bind('name')}
          label={GROUP_LABELS.name}
          monospace
          hint="Lower-case letters, digits, . _ -, e.g. db"
        />
        <TextField {...form.bind('description')} label={GROUP_LABELS.description} optional />
      </div>
      <GroupMembersFieldset form={form} servers={servers} />
      <GroupVipsFieldset form={form} servers={servers} />
      <GroupDataFieldset form={form} />
      <fieldset className="form-section">
        <legend>Processes</legend>
        <TextField
          {...form.bind('processes', true)}
          label="Units to stop and start"
          monospace
          optional
          hint="systemd units or rc.d services, separated by spaces, e.g. nginx crm"
        />
      </fieldset>
    </EntityFormDialog>
  );
}

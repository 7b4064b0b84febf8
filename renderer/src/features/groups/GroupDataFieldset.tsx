/** How a group's data is kept on the standby, with the parameters of the chosen kind. */
import { DATA_KINDS, type DataKind } from '../../../../shared/domain';
import { SelectField, TextField } from '../../components/fields';
import { fieldId } from '../../components/form-issues';
import type { DraftForm } from '../../components/use-draft-form';
import { DATA_KIND_LABEL, GROUP_LABELS, type DataFields, type GroupFields } from './group-fields';

const KIND_OPTIONS = DATA_KINDS.map((kind) => ({ value: kind, label: DATA_KIND_LABEL[kind] }));

/** The kind select, then only the fields that kind uses. */
export function GroupDataFieldset({ form }: { form: DraftForm<GroupFields> }) {
  const data = form.values.data;
  const field = (key: keyof DataFields, nested = false) => {
    const path = `data.${key}`;
    return {
      id: fieldId(form.id, path),
      label: GROUP_LABELS[path],
      value: data[key],
      onChange: (value: string) =>
        form.update(path, (previous) => ({ ...previous, data: { ...previous.data, [key]: value } })),
      onBlur: () => form.touch(path),
      errors: form.errorsFor(path, nested),
    };
  };
  const kindErrors = form.errorsFor('data');

  return (
    <fieldset className="form-section" id={fieldId(form.id, 'data')}>
      <legend>Data</legend>
      <div className="form-grid">
        <SelectField
          {...field('kind')}
          errors={[...kindErrors, ...form.errorsFor('data.kind')]}
          options={KIND_OPTIONS}
          onChange={(value) => field('kind').onChange(value as DataKind)}
        />
        {data.kind === 'rsync' && (
          <>
            <TextField {...field('intervalMinutes')} inputMode="numeric" hint="Minutes between syncs" />
            <TextField {...field('paths', true)} multiline monospace hint="Absolute paths, one per line" />
            <TextField {...field('excludes', true)} multiline monospace optional hint="Patterns, one per line" />
          </>
        )}
        {data.kind === 'postgres' && (
          <>
            <TextField {...field('dataDir')} monospace hint="e.g. /srv/pgdata" />
            <TextField {...field('port')} inputMode="numeric" monospace />
            <TextField {...field('osUser')} monospace />
            <TextField {...field('database')} monospace />
            <TextField
              {...field('socketDir')}
              monospace
              hint="empty: the client's default (Debian: /var/run/postgresql)"
            />
            <TextField {...field('host')} monospace hint="empty: connect over the socket" />
          </>
        )}
        {data.kind === 'drbd' && (
          <>
            <TextField {...field('resource')} monospace />
            <TextField {...field('device')} monospace hint="e.g. /dev/drbd0" />
            <TextField {...field('mountPoint')} monospace />
          </>
        )}
        {data.kind === 'shared-disk' && (
          <>
            <TextField {...field('device')} monospace />
            <TextField {...field('mountPoint')} monospace />
          </>
        )}
        {data.kind === 'backup-restore' && (
          <>
            <TextField {...field('backupPath')} monospace />
            <TextField
              {...field('restoreCommand')}
              monospace
              optional
              multiline
              className="span-2"
              hint="Run on the standby to restore; shown in the runbook"
            />
          </>
        )}
      </div>
    </fieldset>
  );
}

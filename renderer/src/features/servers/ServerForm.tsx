/** Add or edit a server: identity, SSH endpoint, hardware and support, checked as you type. */
import { useCallback } from 'react';
import type { Server } from '../../../../shared/domain';
import { EntityFormDialog } from '../../components/EntityFormDialog';
import { SelectField, TextField } from '../../components/fields';
import { useDraftForm } from '../../components/use-draft-form';
import { useApp } from '../../store/store-context';
import { selectCall, selectNotify, selectServers, selectSites } from '../../store/selectors';
import { SERVER_LABELS, serverDraft, serverFields, serverIssues, type ServerFields } from './server-fields';

const OS_OPTIONS = [
  { value: 'linux', label: 'Linux' },
  { value: 'openbsd', label: 'OpenBSD' },
];
const AUTH_OPTIONS = [
  { value: 'agent', label: 'SSH agent' },
  { value: 'key', label: 'Private key file' },
  { value: 'password', label: 'Password (kept in the system keyring)' },
];

/** The server dialog; `server` absent means a new one. */
export function ServerForm({ server, onClose }: { server?: Server; onClose: () => void }) {
  const call = useApp(selectCall);
  const notify = useApp(selectNotify);
  const servers = useApp(selectServers);
  const sites = useApp(selectSites);
  const validate = useCallback((fields: ServerFields) => serverIssues(fields, server?.id), [server?.id]);
  const form = useDraftForm({
    id: 'server-form',
    initial: serverFields(server),
    validate,
    save: async (fields) => {
      const saved = await call('servers.save', serverDraft(fields, server?.id));
      notify('success', `Saved server ${saved.name}.`);
      onClose();
    },
  });
  const field = (key: keyof ServerFields, nested = false) => ({ ...form.bind(key, nested), label: SERVER_LABELS[key] });
  const jumpOptions = [
    { value: '', label: 'None: connect directly' },
    ...servers.filter((s) => s.id !== server?.id).map((s) => ({ value: String(s.id), label: s.name })),
  ];
  const siteOptions = [{ value: '', label: 'No site' }, ...sites.map((s) => ({ value: String(s.id), label: s.name }))];

  return (
    <EntityFormDialog noun="server" entity={server} size="large" form={form} labels={SERVER_LABELS} onClose={onClose}>
      <fieldset className="form-section">
        <legend>Identity</legend>
        <div className="form-grid">
          <TextField {...field('name')} hint="Lower-case letters, digits, . _ -, e.g. web-a" monospace />
          <TextField {...field('addresses', true)} hint="IP addresses, separated by commas" monospace />
          <SelectField {...field('os')} options={OS_OPTIONS} />
          <SelectField {...field('siteId')} options={siteOptions} />
          <TextField
            {...field('role')}
            optional
            className="span-2"
            hint="What it does, e.g. CRM web server (primary)"
          />
        </div>
      </fieldset>
      <fieldset className="form-section">
        <legend>SSH</legend>
        <div className="form-grid">
          <TextField {...field('ssh.host')} optional hint="Leave empty to use the first address" monospace />
          <TextField {...field('ssh.port')} inputMode="numeric" monospace />
          <TextField {...field('ssh.user')} monospace />
          <SelectField {...field('ssh.auth.kind')} options={AUTH_OPTIONS} />
          {form.values['ssh.auth.kind'] === 'key' && (
            <TextField
              {...field('ssh.auth.keyPath')}
              hint="Absolute path on this computer; the key never leaves it"
              monospace
            />
          )}
          <SelectField {...field('ssh.jumpServerId')} options={jumpOptions} />
        </div>
      </fieldset>
      <fieldset className="form-section">
        <legend>Hardware and support</legend>
        <div className="form-grid">
          <TextField {...field('hardware')} optional />
          <TextField {...field('power')} optional />
          <TextField {...field('support.vendor')} optional />
          <TextField {...field('support.contract')} optional />
          <TextField {...field('support.phone')} optional type="tel" />
          <TextField {...field('support.hours')} optional hint="e.g. 24x7, 4 h on-site" />
        </div>
      </fieldset>
      <TextField {...field('notes')} optional multiline />
    </EntityFormDialog>
  );
}

/**
 * Keep (or forget) the SSH password of a server that logs in with one. The password goes to the
 * main process, which stores it only encrypted by the desktop's keyring (Electron safeStorage) and
 * never sends it back; where there is no keyring (`lifeboat serve`, a Linux desktop without one) the
 * refusal says so and nothing is stored. The field is a form on useDraftForm like every other.
 */
import { useCallback, useState } from 'react';
import type { Api } from '../../../../shared/api-client';
import type { FieldIssue } from '../../../../shared/errors';
import { Dialog, DialogBody, DialogFooter } from '../../components/Dialog';
import { ErrorSummary } from '../../components/ErrorSummary';
import { TextField } from '../../components/fields';
import { useDraftForm } from '../../components/use-draft-form';

/** What the dialog needs. */
export interface PasswordDialogProps {
  api: Api;
  serverId: number;
  serverName: string;
  onClose: () => void;
  /** Called after a password was stored. */
  onSaved?: () => void;
}

interface PasswordFields {
  password: string;
}
const LABELS = { password: 'Password' };

/** Mount to open; unmount to close. */
export function PasswordDialog({ api, serverId, serverName, onClose, onSaved }: PasswordDialogProps) {
  const [note, setNote] = useState<string | null>(null);
  const [forgetError, setForgetError] = useState<string | null>(null);
  const [forgetting, setForgetting] = useState(false);
  const validate = useCallback(
    (fields: PasswordFields): FieldIssue[] =>
      fields.password === '' ? [{ path: ['password'], message: 'type the password' }] : [],
    [],
  );
  const form = useDraftForm<PasswordFields>({
    id: 'ssh',
    initial: { password: '' },
    validate,
    save: async ({ password }) => {
      setNote(null);
      await api.call('hosts.setPassword', { serverId, password });
      onSaved?.();
      onClose();
    },
  });
  // Forgetting is an action on what is stored, not this form's value.
  const forget = async () => {
    setForgetting(true);
    setForgetError(null);
    setNote(null);
    try {
      await api.call('hosts.clearPassword', { serverId });
      setNote(`No password is stored for ${serverName} any more.`);
    } catch (e) {
      setForgetError((e as Error).message);
    } finally {
      setForgetting(false);
    }
  };
  const busy = form.submitting || forgetting;

  return (
    <Dialog title={`SSH password for ${serverName}`} onClose={onClose} size="medium" testId="password-dialog">
      <DialogBody>
        <form className="passphrase-form" id={`password-${serverId}`} onSubmit={form.submit} noValidate>
          <ErrorSummary form={form} labels={LABELS} />
          {forgetError && (
            <p className="field-error" role="alert">
              {forgetError}
            </p>
          )}
          {note && <p role="status">{note}</p>}
          <p>
            {serverName} logs in with a password. Lifeboat keeps it encrypted by this computer&apos;s keyring and never
            shows it again; a key file or the SSH agent is safer where the server allows it.
          </p>
          <TextField {...form.bind('password')} label={LABELS.password} type="password" autoComplete="new-password" />
        </form>
      </DialogBody>
      <DialogFooter>
        <button type="button" className="button button-danger" disabled={busy} onClick={() => void forget()}>
          Forget the stored one
        </button>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button
          type="submit"
          form={`password-${serverId}`}
          className="button button-primary"
          disabled={busy || form.values.password === ''}
        >
          Keep this password
        </button>
      </DialogFooter>
    </Dialog>
  );
}

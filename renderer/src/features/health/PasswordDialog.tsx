/**
 * Keep (or forget) the SSH password of a server that logs in with one. The password goes to the
 * main process, which stores it only encrypted by the desktop's keyring (Electron safeStorage) and
 * never sends it back; where there is no keyring (`lifeboat serve`, a Linux desktop without one) the
 * refusal says so and nothing is stored.
 */
import { useState } from 'react';
import type { Api } from '../../../../shared/api-client';
import { Dialog, DialogBody, DialogFooter } from '../../components/Dialog';

/** What the dialog needs. */
export interface PasswordDialogProps {
  api: Api;
  serverId: number;
  serverName: string;
  onClose: () => void;
  /** Called after a password was stored. */
  onSaved?: () => void;
}

/** Mount to open; unmount to close. */
export function PasswordDialog({ api, serverId, serverName, onClose, onSaved }: PasswordDialogProps) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<unknown>, after: () => void) => {
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      await action();
      after();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const save = () =>
    run(
      () => api.call('hosts.setPassword', { serverId, password }),
      () => {
        setPassword('');
        onSaved?.();
        onClose();
      },
    );
  const forget = () => run(() => api.call('hosts.clearPassword', { serverId }), () => setNote(`No password is stored for ${serverName} any more.`));

  return (
    <Dialog title={`SSH password for ${serverName}`} onClose={onClose} size="medium" testId="password-dialog">
      <DialogBody>
        <form
          className="passphrase-form"
          id={`password-${serverId}`}
          onSubmit={(event) => {
            event.preventDefault();
            if (password !== '') void save();
          }}
        >
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          {note && <p role="status">{note}</p>}
          <p>
            {serverName} logs in with a password. Lifeboat keeps it encrypted by this computer&apos;s keyring and never shows it again; a key file or the SSH
            agent is safer where the server allows it.
          </p>
          <label htmlFor="ssh-password-field">Password</label>
          <input id="ssh-password-field" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} data-autofocus />
        </form>
      </DialogBody>
      <DialogFooter>
        <button type="button" className="button button-danger" disabled={busy} onClick={() => void forget()}>
          Forget the stored one
        </button>
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" form={`password-${serverId}`} className="button button-primary" disabled={busy || password === ''}>
          Keep this password
        </button>
      </DialogFooter>
    </Dialog>
  );
}

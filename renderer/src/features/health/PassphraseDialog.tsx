/**
 * The question for the passphrase of an encrypted SSH key file, asked by the main process when a
 * connection needs the key (`hosts.passphraseRequested`). The passphrase goes to the main process,
 * which keeps the decrypted key in memory only; nothing here stores it.
 */
import { useCallback, useEffect, useState } from 'react';
import type { Api } from '../../../../shared/api-client';
import type { PassphraseRequest } from '../../../../shared/contract/hosts';
import type { FieldIssue } from '../../../../shared/errors';
import { Dialog, DialogBody, DialogFooter } from '../../components/Dialog';
import { TextField } from '../../components/fields';
import { useDraftForm } from '../../components/use-draft-form';

/** Mount once; it opens a dialog while a question waits. */
export function PassphrasePrompts({ api }: { api: Api }) {
  const [waiting, setWaiting] = useState<PassphraseRequest[]>([]);

  useEffect(() => {
    let live = true;
    const add = (request: PassphraseRequest) =>
      setWaiting((list) => (list.some((r) => r.requestId === request.requestId) ? list : [...list, request]));
    const stops = [
      api.on('hosts.passphraseRequested', add),
      api.on('hosts.passphraseSettled', ({ requestId }) =>
        setWaiting((list) => list.filter((r) => r.requestId !== requestId)),
      ),
    ];
    api.call('hosts.pendingPassphrases', {}).then(
      (pending) => live && pending.forEach(add),
      () => undefined, // a host that asks nothing (or is gone): nothing waits
    );
    return () => {
      live = false;
      stops.forEach((stop) => stop());
    };
  }, [api]);

  const current = waiting[0];
  if (!current) return null;
  const answer = (passphrase: string | null) => {
    setWaiting((list) => list.filter((r) => r.requestId !== current.requestId));
    void api.call('hosts.answerPassphrase', { requestId: current.requestId, passphrase }).catch(() => undefined);
  };
  return <PassphraseDialog key={current.requestId} request={current} onAnswer={answer} />;
}

/** What the dialog needs. */
export interface PassphraseDialogProps {
  request: PassphraseRequest;
  /** The passphrase typed, or null when the operator declines. */
  onAnswer: (passphrase: string | null) => void;
}

/** One question: the key file, a masked field, Unlock or Not now (a form on useDraftForm like every other). */
export function PassphraseDialog({ request, onAnswer }: PassphraseDialogProps) {
  const validate = useCallback(
    (fields: { passphrase: string }): FieldIssue[] =>
      fields.passphrase === '' ? [{ path: ['passphrase'], message: 'type the passphrase' }] : [],
    [],
  );
  const form = useDraftForm({
    id: 'key',
    initial: { passphrase: '' },
    validate,
    save: async ({ passphrase }) => onAnswer(passphrase),
  });
  return (
    <Dialog title="Unlock an SSH key" onClose={() => onAnswer(null)} size="small" testId="passphrase-dialog">
      <DialogBody>
        <form className="passphrase-form" id={`passphrase-${request.requestId}`} onSubmit={form.submit} noValidate>
          {request.attempt > 1 && (
            <p className="field-error" role="alert">
              That passphrase was wrong. Try again.
            </p>
          )}
          <p>
            The key file <code>{request.keyPath}</code> is encrypted. Type its passphrase to unlock it until Lifeboat
            closes; it is kept in memory only, never stored.
          </p>
          <TextField {...form.bind('passphrase')} label="Passphrase" type="password" />
        </form>
      </DialogBody>
      <DialogFooter>
        <button type="button" className="button" onClick={() => onAnswer(null)}>
          Not now
        </button>
        <button
          type="submit"
          form={`passphrase-${request.requestId}`}
          className="button button-primary"
          disabled={form.values.passphrase === ''}
        >
          Unlock
        </button>
      </DialogFooter>
    </Dialog>
  );
}

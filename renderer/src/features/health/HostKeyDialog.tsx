/**
 * First contact with a server's SSH host key: shows host, port, key type and SHA256 fingerprint for
 * the admin to compare with the server's own (`ssh-keygen -lf` on its console), and pins it on
 * Trust. A CHANGED key shows both fingerprints and is never accepted as it is: after a confirmed
 * reinstall the admin forgets the old pin (typing the server's name), and the new key is read
 * again to be compared and trusted like a first contact. Both questions (compared? the name typed?)
 * are forms on useDraftForm; the host's refusals show in their error summaries.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { Api } from '../../../../shared/api-client';
import { HOST_KEY_TYPES, type HostKeyScan } from '../../../../shared/contract/hosts';
import type { FieldIssue } from '../../../../shared/errors';
import { Dialog, DialogBody, DialogFooter } from '../../components/Dialog';
import { ErrorSummary } from '../../components/ErrorSummary';
import { CheckboxField } from '../../components/fields';
import { useDraftForm } from '../../components/use-draft-form';

/** What the dialog needs. */
export interface HostKeyDialogProps {
  api: Api;
  serverId: number;
  serverName: string;
  onClose: () => void;
  /** Called after the key was pinned. */
  onTrusted?: () => void;
}

const TRUST_LABELS = { compared: 'I compared the fingerprint and it matches' };
const FORGET_LABELS = { typedName: "The server's name" };

/** Mount to scan the key; unmount to close. */
export function HostKeyDialog({ api, serverId, serverName, onClose, onTrusted }: HostKeyDialogProps) {
  const [scan, setScan] = useState<HostKeyScan | null>(null);
  const [error, setError] = useState<string | null>(null);

  const scanKey = useCallback(
    (isLive: () => boolean = () => true) =>
      api.call('hosts.scanKey', { serverId }).then(
        (result) => isLive() && setScan(result),
        (e: unknown) => isLive() && setError((e as Error).message),
      ),
    [api, serverId],
  );

  useEffect(() => {
    let live = true;
    void scanKey(() => live);
    return () => {
      live = false;
    };
  }, [scanKey]);

  const validateTrust = useCallback(
    (fields: { compared: boolean }): FieldIssue[] =>
      fields.compared ? [] : [{ path: ['compared'], message: 'compare the fingerprint first' }],
    [],
  );
  const trustForm = useDraftForm({
    id: 'host-key-trust',
    initial: { compared: false },
    validate: validateTrust,
    save: async () => {
      if (!scan || scan.status !== 'new') return;
      const keyType = HOST_KEY_TYPES.find((type) => type === scan.keyType);
      if (!keyType) throw new Error(`Lifeboat does not pin ${scan.keyType} keys`);
      await api.call('hosts.trust', { serverId, keyType, fingerprint: scan.fingerprint });
      onTrusted?.();
      onClose();
    },
  });

  const validateForget = useCallback(
    (fields: { typedName: string }): FieldIssue[] =>
      forgetConfirmed(fields.typedName, serverName)
        ? []
        : [{ path: ['typedName'], message: `type ${serverName} exactly` }],
    [serverName],
  );
  const forgetForm = useDraftForm({
    id: 'host-key-forget',
    initial: { typedName: '' },
    validate: validateForget,
    save: async () => {
      await api.call('hosts.forget', { serverId });
      setScan(null);
      setError(null);
      trustForm.reset({ compared: false });
      forgetForm.reset({ typedName: '' });
      await scanKey();
    },
  });
  const saving = trustForm.submitting || forgetForm.submitting;

  const changed = scan?.status === 'changed';
  return (
    <Dialog
      title={changed ? `The host key of ${serverName} CHANGED` : `Trust the host key of ${serverName}?`}
      onClose={onClose}
      tone={changed ? 'danger' : 'normal'}
      testId="host-key-dialog"
    >
      <DialogBody>
        {!scan && !error && <p>Connecting to read the key the server presents (no login, nothing sent)…</p>}
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        {scan && (
          <>
            <dl className="host-key-facts">
              <dt>Host</dt>
              <dd className="mono">{scan.host}</dd>
              <dt>Port</dt>
              <dd className="mono">{scan.port}</dd>
              <dt>Key type</dt>
              <dd className="mono">{scan.keyType}</dd>
              <dt>{changed ? 'Presented now' : 'Fingerprint'}</dt>
              <dd className="mono host-key-fingerprint" data-testid="presented-fingerprint">
                {scan.fingerprint}
              </dd>
              {changed && (
                <>
                  <dt>Pinned before</dt>
                  <dd className="mono host-key-fingerprint" data-testid="pinned-fingerprint">
                    {scan.pinned}
                  </dd>
                </>
              )}
            </dl>
            {scan.status === 'new' && (
              <>
                <p>
                  Compare this fingerprint with the one the server shows on its own console:{' '}
                  <code>ssh-keygen -lf /etc/ssh/ssh_host_{scan.keyType.replace(/^ssh-|-.*$/g, '')}_key.pub</code>. Trust
                  it only if they are the same.
                </p>
                <form id="host-key-trust" onSubmit={trustForm.submit} noValidate>
                  <ErrorSummary form={trustForm} labels={TRUST_LABELS} />
                  <CheckboxField
                    id="host-key-trust-compared"
                    label={TRUST_LABELS.compared}
                    checked={trustForm.values.compared}
                    onChange={(compared) => trustForm.update('compared', () => ({ compared }))}
                    errors={trustForm.errorsFor('compared')}
                  />
                </form>
              </>
            )}
            {scan.status === 'match' && <p>This key is already pinned for {serverName}. Nothing to do.</p>}
            {changed && (
              <div className="host-key-warning" role="alert">
                <p>
                  <strong>Lifeboat stopped: the server presents a different key than the one pinned.</strong> Either the
                  server was reinstalled, or something is impersonating it. Nothing was sent to it.
                </p>
                <p>
                  Check with whoever runs {serverName}. If the reinstall is confirmed, forget the old pin below:
                  Lifeboat then reads the key again for you to compare with the server&apos;s console and trust. The
                  changed key itself is never accepted.
                </p>
              </div>
            )}
            {changed && <ErrorSummary form={forgetForm} labels={FORGET_LABELS} />}
            {changed && (
              <ForgetPin
                serverName={serverName}
                typed={forgetForm.values.typedName}
                onType={(typed) => forgetForm.update('typedName', () => ({ typedName: typed }))}
                busy={saving}
                onForget={(event) => void forgetForm.submit(event)}
              />
            )}
          </>
        )}
      </DialogBody>
      <DialogFooter>
        <button type="button" className="button" onClick={onClose}>
          {scan?.status === 'new' ? 'Cancel' : 'Close'}
        </button>
        {scan?.status === 'new' && (
          <button
            type="submit"
            form="host-key-trust"
            className="button button-primary"
            disabled={!trustForm.values.compared || saving}
          >
            Trust this key
          </button>
        )}
      </DialogFooter>
    </Dialog>
  );
}

/** The operator typed the server's name exactly (surrounding spaces aside). */
export function forgetConfirmed(typed: string, serverName: string): boolean {
  return typed.trim() === serverName;
}

/** What forgetting a changed key's pin needs. */
export interface ForgetPinProps {
  serverName: string;
  typed: string;
  onType: (text: string) => void;
  busy: boolean;
  /** The form was submitted (the button, or Enter in the field). */
  onForget: (event?: FormEvent) => void;
}

/** Forget the old pin of a changed key, behind the server's name typed in full. */
export function ForgetPin({ serverName, typed, onType, busy, onForget }: ForgetPinProps) {
  return (
    <form
      className="host-key-forget"
      data-testid="forget-pin"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (forgetConfirmed(typed, serverName)) onForget(event);
      }}
    >
      <label htmlFor="forget-pin-name">
        To forget the old pin, type <strong className="mono">{serverName}</strong>
      </label>
      <input
        id="forget-pin-name"
        className="mono"
        autoComplete="off"
        spellCheck={false}
        value={typed}
        onChange={(e) => onType(e.target.value)}
      />
      <button type="submit" className="button button-danger" disabled={busy || !forgetConfirmed(typed, serverName)}>
        Forget the old pin
      </button>
    </form>
  );
}

/**
 * The locks that hold the chosen group, and how a person recovers them: the workspace's run lock
 * (owner process, its machine, its heartbeat) and, on request, the on-host lock on each member
 * (owner, run, age). A lock may be broken only when Lifeboat allows it (another machine's, silent;
 * or a dead process), by typing the words that name the host and the run, with a reason; both
 * are audited by the main process.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { HostLockView } from '../../../../shared/contract/locks';
import type { FieldIssue } from '../../../../shared/errors';
import { ErrorSummary } from '../../components/ErrorSummary';
import { useDraftForm } from '../../components/use-draft-form';
import { useApp } from '../../store/store-context';
import { selectApi, selectCall } from '../../store/selectors';

const ago = (at: number | null) =>
  at === null ? 'never' : `${Math.max(0, Math.round((Date.now() - at) / 1000))} s ago`;

interface BreakFields {
  confirm: string;
  reason: string;
}

/** Typed confirmation and a reason (a form on useDraftForm); the button stays off until the words match exactly. */
function BreakForm({
  id,
  expected,
  what,
  onBreak,
}: {
  id: string;
  expected: string;
  what: string;
  onBreak: (confirmation: string, reason: string) => Promise<void>;
}) {
  const validate = useCallback(
    (fields: BreakFields): FieldIssue[] => [
      ...(fields.confirm.trim() === expected ? [] : [{ path: ['confirm'], message: `type “${expected}” exactly` }]),
      ...(fields.reason.trim().length >= 3
        ? []
        : [{ path: ['reason'], message: 'give a reason (3 characters at least)' }]),
    ],
    [expected],
  );
  const form = useDraftForm<BreakFields>({
    id,
    initial: { confirm: '', reason: '' },
    validate,
    save: (fields) => onBreak(fields.confirm.trim(), fields.reason.trim()),
  });
  const ready = validate(form.values).length === 0 && !form.submitting;
  const labels = {
    confirm: `To break ${what}, type “${expected}”`,
    reason: 'Why it is safe (goes into the audit log)',
  };
  return (
    <form className="lock-break" onSubmit={form.submit} noValidate>
      <ErrorSummary form={form} labels={labels} />
      <label htmlFor={`${id}-confirm`}>{labels.confirm}</label>
      <input
        id={`${id}-confirm`}
        value={form.values.confirm}
        onChange={(e) => form.bind('confirm').onChange(e.target.value)}
        autoComplete="off"
      />
      <label htmlFor={`${id}-reason`}>{labels.reason}</label>
      <input
        id={`${id}-reason`}
        value={form.values.reason}
        onChange={(e) => form.bind('reason').onChange(e.target.value)}
        maxLength={1000}
      />
      <button type="submit" className="button button-danger" disabled={!ready}>
        Break the lock
      </button>
    </form>
  );
}

export function LockPanel({ groupId }: { groupId: number | null }) {
  const api = useApp(selectApi);
  const call = useApp(selectCall);
  const runLocks = useApp((s) => s.runLocks);
  const locks = useMemo(() => runLocks.filter((l) => l.groupId === groupId), [runLocks, groupId]);
  const [hostLocks, setHostLocks] = useState<HostLockView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reading, setReading] = useState(false);

  useEffect(() => {
    setHostLocks(null);
    setError(null);
  }, [groupId]);

  if (groupId === null) return null;
  const readHostLocks = async () => {
    setReading(true);
    setError(null);
    try {
      setHostLocks(await api.call('runs.hostLocks', { groupId }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setReading(false);
    }
  };
  const stale = hostLocks?.filter((h) => h.state !== 'free') ?? [];
  return (
    <section className="lock-panel" aria-label="Locks">
      {locks.map((lock) => (
        <div key={lock.runId} role="status" className="lock-held">
          <p>
            Run #{lock.runId} of {lock.groupName} holds this group: pid {lock.ownerPid} on {lock.ownerHost}
            {lock.local ? ' (this machine)' : ''}, operator {lock.operator}, since{' '}
            {new Date(lock.acquiredAt).toLocaleString()}, last heartbeat {ago(lock.heartbeatAt)}.
          </p>
          {lock.refusal ? (
            <p className="lock-refusal">It cannot be broken now: {lock.refusal}.</p>
          ) : (
            <BreakForm
              id={`run-lock-${lock.runId}`}
              expected={lock.confirmation}
              what={`the lock of run #${lock.runId} held on ${lock.ownerHost}`}
              onBreak={async (confirmation, reason) => {
                // A refusal is thrown to the form, which shows it; the store reads the locks again after.
                await call('runs.breakLock', { runId: lock.runId, confirmation, reason });
              }}
            />
          )}
        </div>
      ))}
      <button type="button" className="button" disabled={reading} onClick={() => void readHostLocks()}>
        Check the on-host locks
      </button>
      {hostLocks && stale.length === 0 && <p role="status">No member holds an on-host lock of this group.</p>}
      {stale.map((view) => (
        <div key={view.serverId} role="status" className="lock-held">
          <p>
            {view.host}: {view.state === 'held' ? `locked by ${view.detail}` : view.detail}
            {view.ours ? ' — the run this Lifeboat is driving now' : ''}
          </p>
          {view.state === 'held' && !view.ours && (
            <BreakForm
              id={`host-lock-${view.serverId}`}
              expected={view.confirmation}
              what={`the on-host lock on ${view.host}`}
              onBreak={async (confirmation, reason) => {
                await call('runs.breakHostLock', {
                  groupId,
                  serverId: view.serverId,
                  token: view.lock?.token ?? 'empty',
                  confirmation,
                  reason,
                });
                await readHostLocks();
              }}
            />
          )}
        </div>
      ))}
      {error && (
        <p role="alert" className="failover-error">
          {error}
        </p>
      )}
    </section>
  );
}

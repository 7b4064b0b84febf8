/**
 * The locks that hold the chosen group, and how a person recovers them: the workspace's run lock
 * (owner process, its machine, its heartbeat) and, on request, the on-host lock on each member
 * (owner, run, age). A lock may be broken only when Lifeboat allows it (another machine's, silent;
 * or a dead process), by typing the words that name the host and the run, with a reason; both
 * are audited by the main process.
 */
import { useCallback, useEffect, useState } from 'react';
import type { HostLockView, RunLockView } from '../../../../shared/contract/locks';
import { useApp } from '../../store/store-context';
import { selectApi, selectCall } from '../../store/selectors';

const ago = (at: number | null) => (at === null ? 'never' : `${Math.max(0, Math.round((Date.now() - at) / 1000))} s ago`);

/** Typed confirmation and a reason; the button stays off until the words match exactly. */
function BreakForm({ id, expected, what, onBreak }: { id: string; expected: string; what: string; onBreak: (confirmation: string, reason: string) => Promise<void> }) {
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const ready = typed.trim() === expected && reason.trim().length >= 3 && !busy;
  return (
    <form
      className="lock-break"
      onSubmit={(e) => {
        e.preventDefault();
        if (!ready) return;
        setBusy(true);
        void onBreak(typed.trim(), reason.trim()).finally(() => setBusy(false));
      }}
    >
      <label htmlFor={`${id}-confirm`}>To break {what}, type “{expected}”</label>
      <input id={`${id}-confirm`} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
      <label htmlFor={`${id}-reason`}>Why it is safe (goes into the audit log)</label>
      <input id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} />
      <button type="submit" className="button button-danger" disabled={!ready}>Break the lock</button>
    </form>
  );
}

export function LockPanel({ groupId }: { groupId: number | null }) {
  const api = useApp(selectApi);
  const call = useApp(selectCall);
  const runs = useApp((s) => s.runs);
  const [locks, setLocks] = useState<RunLockView[]>([]);
  const [hostLocks, setHostLocks] = useState<HostLockView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reading, setReading] = useState(false);

  const refresh = useCallback(async () => {
    if (groupId === null) return setLocks([]);
    try {
      setLocks((await api.call('runs.locks', {})).filter((l) => l.groupId === groupId));
    } catch (e) {
      setError((e as Error).message);
    }
  }, [api, groupId]);
  useEffect(() => {
    setHostLocks(null);
    setError(null);
  }, [groupId]);
  useEffect(() => {
    void refresh();
  }, [refresh, runs]);

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
            {lock.local ? ' (this machine)' : ''}, operator {lock.operator}, since {new Date(lock.acquiredAt).toLocaleString()}, last heartbeat {ago(lock.heartbeatAt)}.
          </p>
          {lock.refusal ? (
            <p className="lock-refusal">It cannot be broken now: {lock.refusal}.</p>
          ) : (
            <BreakForm
              id={`run-lock-${lock.runId}`}
              expected={lock.confirmation}
              what={`the lock of run #${lock.runId} held on ${lock.ownerHost}`}
              onBreak={async (confirmation, reason) => {
                try {
                  await call('runs.breakLock', { runId: lock.runId, confirmation, reason });
                  await refresh();
                } catch (e) {
                  setError((e as Error).message);
                }
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
                try {
                  await call('runs.breakHostLock', { groupId, serverId: view.serverId, token: view.lock?.token ?? 'empty', confirmation, reason });
                  await readHostLocks();
                } catch (e) {
                  setError((e as Error).message);
                }
              }}
            />
          )}
        </div>
      ))}
      {error && <p role="alert" className="failover-error">{error}</p>}
    </section>
  );
}

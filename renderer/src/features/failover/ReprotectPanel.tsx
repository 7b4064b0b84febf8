/**
 * Re-protect on the Failover screen: for a group a failover left running without redundancy, the
 * dry run (the plan with its exact commands, the live pre-flight, and what the reverse sync would
 * overwrite or delete on the member coming back), the typed group name, then the run, followed in
 * the run panel like a failover (its halts, such as the overwrite list, are answered there).
 */
import { useState } from 'react';
import type { ReprotectPreview } from '../../../../shared/contract/reprotect';
import { useApp } from '../../store/store-context';
import { selectCall, selectGroups, selectGroupStates, selectServers } from '../../store/selectors';
import { PlanView, PreflightView } from './PlanView';

export function ReprotectPanel({
  groupId,
  onStarted,
  onChoose,
}: {
  groupId: number | null;
  onStarted: (runId: number) => void;
  /** Choose a group (from the list shown while none is chosen). */
  onChoose: (groupId: number) => void;
}) {
  const call = useApp(selectCall);
  const states = useApp(selectGroupStates);
  const groups = useApp(selectGroups);
  const servers = useApp(selectServers);
  const [preview, setPreview] = useState<ReprotectPreview | null>(null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const group = groups.find((g) => g.id === groupId);
  const state = states.find((s) => s.groupId === groupId);
  const nameOf = (id: number) => servers.find((s) => s.id === id)?.name ?? `server ${id}`;
  if (groupId === null) {
    const unprotected = states.filter((s) => s.redundancy === 'without-redundancy');
    if (unprotected.length === 0) return null;
    return (
      <ul className="reprotect-list" aria-label="groups running without redundancy">
        {unprotected.map((s) => {
          const name = groups.find((g) => g.id === s.groupId)?.name ?? `group ${s.groupId}`;
          return (
            <li key={s.groupId} role="status">
              <strong>{name}</strong> is running without redundancy on {nameOf(s.primaryServerId)}.{' '}
              <button type="button" className="button" onClick={() => onChoose(s.groupId)}>
                Re-protect {name}
              </button>
            </li>
          );
        })}
      </ul>
    );
  }
  if (!group || !state || state.redundancy !== 'without-redundancy') return null;
  const shown = preview?.plan.groupId === group.id ? preview : null;

  const dryRun = async () => {
    setBusy(true);
    setError(null);
    try {
      setPreview(await call('reprotect.preview', { groupId: group.id }));
      setTyped('');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const start = async () => {
    if (!shown) return;
    setBusy(true);
    setError(null);
    try {
      const result = await call('failover.start', {
        groupId: group.id,
        targetServerId: shown.plan.targetServerId,
        mode: 'real',
        purpose: 'reprotect',
        confirmation: typed,
        planHash: shown.plan.planHash,
      });
      if (result.refused) setError(result.refused);
      if (result.runId !== null) {
        setPreview(null);
        onStarted(result.runId);
      }
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel reprotect-panel" aria-labelledby="reprotect-title">
      <h2 id="reprotect-title">Running without redundancy</h2>
      <p role="status">
        {group.name} runs on <strong>{nameOf(state.primaryServerId)}</strong> since{' '}
        {new Date(state.since).toLocaleString()}: {state.detail}.
      </p>
      <button type="button" className="button" disabled={busy} onClick={() => void dryRun()}>
        Re-protect…
      </button>{' '}
      <span className="muted">reads the hosts and shows the plan; changes nothing</span>
      {error && (
        <p role="alert" className="failover-error">
          {error}
        </p>
      )}
      {shown && (
        <>
          {shown.preflight && <PreflightView preflight={shown.preflight} />}
          {shown.overwrites.map((o) => (
            <div key={o.stepIndex} className="reprotect-overwrites">
              <h3>
                {o.count === 0
                  ? `Nothing on ${o.host} would be overwritten or deleted`
                  : `${o.count} file(s) on ${o.host} would be overwritten or deleted (written while it was down?)`}
              </h3>
              {o.count > 0 && (
                <>
                  <pre>{o.lines.join('\n')}</pre>
                  <p className="muted">
                    List sha256 {o.sha256.slice(0, 12)}: the run halts on this list and asks you to acknowledge it; a
                    different list asks again.
                  </p>
                </>
              )}
            </div>
          ))}
          {shown.previewProblems.map((p) => (
            <p key={p} role="alert" className="failover-error">
              Not previewed: {p}
            </p>
          ))}
          <PlanView plan={shown.plan} />
          <label htmlFor="reprotect-confirmation">Type the group's name ({group.name}) to re-protect</label>
          <input
            id="reprotect-confirmation"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
          />{' '}
          <button
            type="button"
            className="button button-danger"
            disabled={busy || typed.trim() !== group.name || !shown.preflight?.passed}
            onClick={() => void start()}
          >
            Re-protect {nameOf(shown.plan.targetServerId)} now
          </button>
        </>
      )}
    </section>
  );
}

/**
 * Guided failover: choose a group and the member to move it to, read the live pre-flight, review
 * the plan with its exact commands, type the group's name, then follow the run step by step.
 */
import { useEffect, useState } from 'react';
import type { Api } from '../../../../shared/api-client';
import type { Plan, Preflight, RunView } from '../../../../shared/contract/failover';
import type { Server, ServiceGroup } from '../../../../shared/domain';
import { PlanView, PreflightView } from './PlanView';
import { RunPanel } from './RunPanel';
import { startReadiness } from './start-readiness';

type Mode = 'real' | 'drill';

/** The whole failover flow for one operator. */
export function FailoverScreen({ api }: { api: Api }) {
  const [groups, setGroups] = useState<ServiceGroup[]>([]);
  const [servers, setServers] = useState<Server[]>([]);
  const [groupId, setGroupId] = useState<number | null>(null);
  const [targetId, setTargetId] = useState<number | null>(null);
  const [preflight, setPreflight] = useState<Preflight | null>(null);
  const [plan, setPlan] = useState<Plan | null>(null);
  const [mode, setMode] = useState<Mode>('real');
  const [confirmation, setConfirmation] = useState('');
  const [attestation, setAttestation] = useState('');
  const [acknowledgeLag, setAcknowledgeLag] = useState(false);
  const [runId, setRunId] = useState<number | null>(null);
  const [interrupted, setInterrupted] = useState<RunView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void api.call('workspace.snapshot', {}).then((snapshot) => {
      setGroups(snapshot.groups.filter((g) => g.members.length > 0));
      setServers(snapshot.servers);
    }, (e: Error) => setError(e.message));
  }, [api]);

  const group = groups.find((g) => g.id === groupId) ?? null;
  const nameOf = (id: number) => servers.find((s) => s.id === id)?.name ?? `server ${id}`;

  const choose = async (nextGroup: number | null, nextTarget: number | null) => {
    setGroupId(nextGroup);
    setTargetId(nextTarget);
    setPreflight(null);
    setPlan(null);
    setAcknowledgeLag(false);
    setAttestation('');
    setRunId(null);
    setError(null);
    setInterrupted(null);
    if (nextGroup === null) return;
    const runs = await api.call('runs.list', { groupId: nextGroup, limit: 20 });
    setInterrupted(runs.find((r) => r.status === 'interrupted') ?? null);
    if (nextTarget !== null) setPlan(await api.call('failover.plan', { groupId: nextGroup, targetServerId: nextTarget }));
  };

  const check = async () => {
    if (groupId === null || targetId === null) return;
    setBusy(true);
    setError(null);
    try {
      setPreflight(await api.call('failover.preflight', { groupId, targetServerId: targetId }));
      setPlan(await api.call('failover.plan', { groupId, targetServerId: targetId }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const start = async (resumeRunId?: number) => {
    if (groupId === null || targetId === null || !group) return;
    setBusy(true);
    setError(null);
    try {
      const result = await api.call('failover.start', {
        groupId, targetServerId: targetId, mode, confirmation, resumeRunId, planHash: plan?.planHash,
        acknowledgeLag: acknowledgeLag && preflight?.needsAcknowledgement ? { lagSeconds: lagShown } : undefined,
        attestation: attestation.trim() ? { reason: attestation.trim() } : undefined,
      });
      setPreflight(result.preflight);
      if (result.refused) setError(result.refused);
      setRunId(result.runId);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const close = async (run: RunView) => {
    const note = window.prompt(`Close run #${run.id} with a note (what was done by hand):`);
    if (!note) return;
    try {
      await api.call('runs.close', { runId: run.id, note });
      setInterrupted(null);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  // Real starts only after a pre-flight of this choice passed, with what it asks for given.
  const { ready, missing: notReady, lagShown } = startReadiness(preflight, { groupId, targetServerId: targetId }, { attestation, acknowledgeLag });
  const confirmed = group !== null && confirmation.trim() === group.name && ready;
  return (
    <>
      <div className="screen-header">
        <div>
          <h1 id="screen-title">Fail over</h1>
          <p className="screen-description">Move a service group to another member: pre-flight, the exact commands, your confirmation, then every step live.</p>
        </div>
      </div>
      <div className="failover-choose">
        <label htmlFor="failover-group">Service group</label>
        <select id="failover-group" value={groupId ?? ''} onChange={(e) => void choose(e.target.value ? Number(e.target.value) : null, null)}>
          <option value="">Choose a group…</option>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>{g.name}</option>
          ))}
        </select>
        <label htmlFor="failover-target">Move to</label>
        <select id="failover-target" value={targetId ?? ''} disabled={!group} onChange={(e) => void choose(groupId, e.target.value ? Number(e.target.value) : null)}>
          <option value="">Choose a member…</option>
          {group?.members.map((m) => (
            <option key={m.serverId} value={m.serverId}>{nameOf(m.serverId)} ({m.role})</option>
          ))}
        </select>
        <button type="button" className="button" disabled={targetId === null || busy} onClick={() => void check()}>
          Run pre-flight
        </button>
      </div>
      {interrupted && (
        <div role="alert" className="failover-interrupted">
          Run #{interrupted.id} of {interrupted.groupName} was interrupted at step {interrupted.lastIntent?.stepIndex ?? '?'} ({interrupted.lastIntent?.command.split('\n')[0] ?? 'no command'}).
          Nothing resumes by itself.{' '}
          <button type="button" className="button" disabled={!confirmed || busy} onClick={() => void start(interrupted.id)}>Resume from a fresh pre-flight</button>{' '}
          <button type="button" className="button" onClick={() => void close(interrupted)}>Close with a note</button>
        </div>
      )}
      {error && <p role="alert" className="failover-error">{error}</p>}
      {preflight && <PreflightView preflight={preflight} />}
      {plan && runId === null && <PlanView plan={plan} />}
      {plan && group && runId === null && (
        <form className="failover-confirm" onSubmit={(e) => { e.preventDefault(); void start(); }}>
          <fieldset>
            <legend>Confirm</legend>
            <label><input type="radio" checked={mode === 'real'} onChange={() => setMode('real')} /> Real failover</label>
            <label><input type="radio" checked={mode === 'drill'} onChange={() => setMode('drill')} /> Drill (timed, recorded as a drill)</label>
          </fieldset>
          {preflight?.needsAttestation && (
            <div>
              <label htmlFor="failover-attestation">The member being left cannot be reached. Attest that it is powered off or isolated, and how you know:</label>
              <textarea id="failover-attestation" value={attestation} onChange={(e) => setAttestation(e.target.value)} maxLength={1000} />
            </div>
          )}
          {preflight?.needsAcknowledgement && (
            <label><input type="checkbox" checked={acknowledgeLag} onChange={(e) => setAcknowledgeLag(e.target.checked)} /> I accept that writes within the replication lag of {lagShown === null ? 'unknown size' : `${lagShown} s`} may be lost (more lag at promotion time asks again)</label>
          )}
          <label htmlFor="failover-confirmation">Type the group's name ({group.name}) to confirm</label>
          <input id="failover-confirmation" value={confirmation} onChange={(e) => setConfirmation(e.target.value)} autoComplete="off" />
          {notReady && <p className="failover-not-ready" role="status">{notReady}</p>}
          <button type="submit" className="button button-danger" disabled={!confirmed || busy}>
            {mode === 'drill' ? 'Start the drill' : 'Fail over now'}
          </button>
        </form>
      )}
      {runId !== null && <RunPanel api={api} runId={runId} />}
    </>
  );
}

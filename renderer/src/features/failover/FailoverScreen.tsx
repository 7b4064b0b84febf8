/**
 * Guided failover: choose a group and the member to move it to, read the live pre-flight, review
 * the plan with its exact commands, type the group's name, then follow the run step by step. The
 * groups, the plan and the runs come from the store, kept current by events: a group or runbook
 * edited elsewhere shows here at once, and a plan that changed asks for the name to be typed again.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { attestableMembers, type Preflight, type RunView } from '../../../../shared/contract/failover';
import type { FieldIssue } from '../../../../shared/errors';
import { ErrorSummary } from '../../components/ErrorSummary';
import { useDraftForm } from '../../components/use-draft-form';
import { useApp } from '../../store/store-context';
import { selectApi, selectCall, selectGroups, selectServers } from '../../store/selectors';
import { PlanView, PreflightView } from './PlanView';
import { RunPanel } from './RunPanel';
import { LockPanel } from './LockPanel';
import { RecoverCompany } from './RecoverCompany';
import { ReprotectPanel } from './ReprotectPanel';
import { attestationFor, startReadiness, type AttestationReasons } from './start-readiness';

type Mode = 'real' | 'drill';

/** What the operator gives to start: the mode, the group's name typed, and what the pre-flight asks for. */
interface ConfirmFields {
  mode: Mode;
  confirmation: string;
  /** Per server the pre-flight could not reach: how the operator knows it is powered off or isolated. */
  attestations: AttestationReasons;
  acknowledgeLag: boolean;
}
const CONFIRM_LABELS: Record<keyof ConfirmFields, string> = {
  mode: 'Real failover or drill',
  confirmation: "The group's name",
  attestations: 'Attestation',
  acknowledgeLag: 'The replication lag',
};

/** The whole failover flow for one operator. */
export function FailoverScreen() {
  const api = useApp(selectApi);
  const call = useApp(selectCall);
  const allGroups = useApp(selectGroups);
  const servers = useApp(selectServers);
  const choice = useApp((s) => s.failoverChoice);
  const plan = useApp((s) => s.plan);
  const planError = useApp((s) => s.planError);
  const runs = useApp((s) => s.runs);
  const chooseFailover = useApp((s) => s.chooseFailover);
  const runId = useApp((s) => s.followedRunId);
  const followRun = useApp((s) => s.followRun);
  const recoveryOpen = useApp((s) => s.recoveryOpen);
  const openRecovery = useApp((s) => s.openRecovery);
  const groups = useMemo(() => allGroups.filter((g) => g.members.length > 0), [allGroups]);
  const groupId = choice?.groupId ?? null;
  const targetId = choice?.targetServerId ?? null;
  const [preflight, setPreflight] = useState<Preflight | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [planChanged, setPlanChanged] = useState(false);
  const shownHash = useRef<string | null>(null);

  const group = groups.find((g) => g.id === groupId) ?? null;
  const nameOf = (id: number) => servers.find((s) => s.id === id)?.name ?? `server ${id}`;

  // The confirmation is a form on useDraftForm; the start button also stays disabled until it is complete.
  const validate = useCallback(
    (fields: ConfirmFields): FieldIssue[] => [
      ...(group && fields.confirmation.trim() !== group.name
        ? [{ path: ['confirmation'], message: `type ${group.name} exactly` }]
        : []),
      ...(preflight?.needsAttestation && (fields.attestations[preflight.sourceServerId] ?? '').trim().length < 10
        ? [
            {
              path: ['attestations'],
              message: `attest that ${preflight.members.find((m) => m.serverId === preflight.sourceServerId)?.host ?? 'the member being left'} is powered off or isolated, and how you know (10 characters at least)`,
            },
          ]
        : []),
      ...(preflight?.needsAcknowledgement && !fields.acknowledgeLag
        ? [{ path: ['acknowledgeLag'], message: 'accept the replication lag, or wait until the standby catches up' }]
        : []),
    ],
    [group, preflight],
  );
  const confirmForm = useDraftForm<ConfirmFields>({
    id: 'failover',
    initial: { mode: 'real', confirmation: '', attestations: {}, acknowledgeLag: false },
    validate,
    save: (fields) => start(fields),
  });
  const { mode, confirmation, attestations, acknowledgeLag } = confirmForm.values;
  const { update, reset } = confirmForm;
  const setField =
    <K extends keyof ConfirmFields>(key: K) =>
    (value: ConfirmFields[K]) =>
      update(key, (previous) => ({ ...previous, [key]: value }));
  const setMode = setField('mode');
  const setConfirmation = setField('confirmation');
  const setAttestations = setField('attestations');
  const setAcknowledgeLag = setField('acknowledgeLag');

  // The plan the operator confirms is the one that runs: when it changes under them (the group or
  // its runbook edited elsewhere), the typed name is cleared so the new plan is confirmed afresh.
  useEffect(() => {
    const hash = plan?.planHash ?? null;
    const before = shownHash.current;
    shownHash.current = hash;
    if (before !== null && hash !== null && before !== hash) {
      update('confirmation', (previous) => ({ ...previous, confirmation: '' }));
      setPlanChanged(true);
    }
  }, [plan?.planHash, update]);

  const interrupted: RunView | null = useMemo(
    () => (groupId === null ? null : (runs.find((r) => r.groupId === groupId && r.status === 'interrupted') ?? null)),
    [runs, groupId],
  );

  const choose = async (nextGroup: number | null, nextTarget: number | null) => {
    setPreflight(null);
    reset({ ...confirmForm.values, confirmation: '', attestations: {}, acknowledgeLag: false });
    setPlanChanged(false);
    shownHash.current = null;
    followRun(null);
    setError(null);
    await chooseFailover(nextGroup === null ? null : { groupId: nextGroup, targetServerId: nextTarget });
  };

  const check = async () => {
    if (groupId === null || targetId === null) return;
    setBusy(true);
    setError(null);
    try {
      const next = await api.call('failover.preflight', { groupId, targetServerId: targetId });
      // A new pre-flight is a new fact: attestations given against the previous one are cleared.
      update('attestations', (previous) => ({ ...previous, attestations: {} }));
      setPreflight(next);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  /** Start (or resume) with what the operator gave; the host's refusal of the input is thrown (the form shows it). */
  async function start(fields: ConfirmFields, resumeRunId?: number): Promise<void> {
    if (groupId === null || targetId === null || !group) return;
    setError(null);
    const result = await call('failover.start', {
      groupId,
      targetServerId: targetId,
      mode: fields.mode,
      confirmation: fields.confirmation,
      resumeRunId,
      planHash: plan?.planHash,
      acknowledgeLag: fields.acknowledgeLag && preflight?.needsAcknowledgement ? { lagSeconds: lagShown } : undefined,
      attestation: attestationFor(preflight, fields.attestations),
    });
    setPreflight(result.preflight);
    if (result.refused) setError(result.refused);
    followRun(result.runId);
  }
  const resume = async (runIdToResume: number) => {
    setBusy(true);
    try {
      await start(confirmForm.values, runIdToResume);
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
      await call('runs.close', { runId: run.id, note });
    } catch (e) {
      setError((e as Error).message);
    }
  };

  // Real starts only after a pre-flight of this choice passed, with what it asks for given.
  const {
    ready,
    missing: notReady,
    lagShown,
  } = startReadiness(preflight, { groupId, targetServerId: targetId }, { attestations, acknowledgeLag });
  const confirmed = group !== null && confirmation.trim() === group.name && ready;
  if (recoveryOpen)
    return (
      <>
        <div className="screen-header">
          <div>
            <h1 id="screen-title">Recover the company</h1>
            <p className="screen-description">
              Every group in recovery order in one run: one pre-flight, the company's name to confirm, then each group
              live against its RTO and the company's target.
            </p>
          </div>
        </div>
        <RecoverCompany />
      </>
    );
  return (
    <>
      <div className="screen-header">
        <div>
          <h1 id="screen-title">Fail over</h1>
          <p className="screen-description">
            Move a service group to another member: pre-flight, the exact commands, your confirmation, then every step
            live.
          </p>
        </div>
        <button type="button" className="button button-danger" onClick={() => void openRecovery(true)}>
          Recover the company…
        </button>
      </div>
      <div className="failover-choose">
        <label htmlFor="failover-group">Service group</label>
        <select
          id="failover-group"
          value={groupId ?? ''}
          onChange={(e) => void choose(e.target.value ? Number(e.target.value) : null, null)}
        >
          <option value="">Choose a group…</option>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </select>
        <label htmlFor="failover-target">Move to</label>
        <select
          id="failover-target"
          value={targetId ?? ''}
          disabled={!group}
          onChange={(e) => void choose(groupId, e.target.value ? Number(e.target.value) : null)}
        >
          <option value="">Choose a member…</option>
          {group?.members.map((m) => (
            <option key={m.serverId} value={m.serverId}>
              {nameOf(m.serverId)} ({m.role})
            </option>
          ))}
        </select>
        <button type="button" className="button" disabled={targetId === null || busy} onClick={() => void check()}>
          Run pre-flight
        </button>
      </div>
      {interrupted && (
        <div role="alert" className="failover-interrupted">
          Run #{interrupted.id} of {interrupted.groupName} was interrupted at step{' '}
          {interrupted.lastIntent?.stepIndex ?? '?'} ({interrupted.lastIntent?.command.split('\n')[0] ?? 'no command'}).
          Nothing resumes by itself: resume it here (or{' '}
          <code>
            lifeboat failover {interrupted.groupName} --to … --resume {interrupted.id}
          </code>
          ), or close it with a note.{' '}
          <button
            type="button"
            className="button"
            disabled={!confirmed || busy || confirmForm.submitting}
            onClick={() => void resume(interrupted.id)}
          >
            Resume from a fresh pre-flight
          </button>{' '}
          <button type="button" className="button" onClick={() => void close(interrupted)}>
            Close with a note
          </button>
        </div>
      )}
      <LockPanel groupId={groupId} />
      <ReprotectPanel groupId={groupId} onStarted={followRun} onChoose={(id) => void choose(id, null)} />
      {error && (
        <p role="alert" className="failover-error">
          {error}
        </p>
      )}
      {planError && (
        <p role="alert" className="failover-error">
          {planError}
        </p>
      )}
      {preflight && <PreflightView preflight={preflight} />}
      {plan && runId === null && <PlanView plan={plan} />}
      {plan && group && runId === null && (
        <form className="failover-confirm" onSubmit={confirmForm.submit} noValidate>
          <ErrorSummary form={confirmForm} labels={CONFIRM_LABELS} />
          <fieldset>
            <legend>Confirm</legend>
            <label>
              <input type="radio" checked={mode === 'real'} onChange={() => setMode('real')} /> Real failover
            </label>
            <label>
              <input type="radio" checked={mode === 'drill'} onChange={() => setMode('drill')} /> Drill (timed, recorded
              as a drill)
            </label>
          </fieldset>
          {preflight && attestableMembers(preflight).length > 0 && (
            <fieldset className="failover-attestation" id="failover-attestations" aria-label="attestation">
              <legend>Attestation, bound to the pre-flight of {new Date(preflight.at).toLocaleTimeString()}</legend>
              {attestableMembers(preflight).map((member) => (
                <div key={member.serverId}>
                  <label htmlFor={`failover-attest-${member.serverId}`}>
                    {member.host} could not be reached ({member.reachability})
                    {member.serverId === preflight.sourceServerId
                      ? '; it is the member being left (required)'
                      : ' (optional)'}
                    . Attest that {member.host} is powered off or isolated, and how you know:
                  </label>
                  <textarea
                    id={`failover-attest-${member.serverId}`}
                    value={attestations[member.serverId] ?? ''}
                    onChange={(e) => setAttestations({ ...attestations, [member.serverId]: e.target.value })}
                    maxLength={1000}
                  />
                </div>
              ))}
            </fieldset>
          )}
          {preflight?.needsAcknowledgement && (
            <label>
              <input
                id="failover-acknowledgeLag"
                type="checkbox"
                checked={acknowledgeLag}
                onChange={(e) => setAcknowledgeLag(e.target.checked)}
              />{' '}
              I accept that writes within the replication lag of {lagShown === null ? 'unknown size' : `${lagShown} s`}{' '}
              may be lost (more lag at promotion time asks again)
            </label>
          )}
          {planChanged && (
            <p role="status" className="failover-plan-changed">
              The plan changed while it was shown (the group or its runbook was edited elsewhere): review it above, then
              type the name again.
            </p>
          )}
          <label htmlFor="failover-confirmation">Type the group's name ({group.name}) to confirm</label>
          <input
            id="failover-confirmation"
            value={confirmation}
            onChange={(e) => setConfirmation(e.target.value)}
            autoComplete="off"
          />
          {notReady && (
            <p className="failover-not-ready" role="status">
              {notReady}
            </p>
          )}
          <button
            type="submit"
            className="button button-danger"
            disabled={!confirmed || busy || confirmForm.submitting}
          >
            {mode === 'drill' ? 'Start the drill' : 'Fail over now'}
          </button>
        </form>
      )}
      {runId !== null && <RunPanel runId={runId} />}
    </>
  );
}

/**
 * Edit the runbook that moves a group to one member: reorder steps, add manual steps (role,
 * expected minutes) and action steps (a built-in kind on a member), change an action's parameters
 * (as JSON). Every step is checked against the shared schemas before saving, and the host checks
 * them against the group; errors are shown with the step they belong to.
 */
import { useEffect, useMemo, useState } from 'react';
import { ApiError } from '../../../../shared/api-client';
import type { ActionKind } from '../../../../shared/runbooks';
import { useApp } from '../../store/store-context';
import { selectCall, selectGroups, selectServers } from '../../store/selectors';
import { ACTION_KINDS, buildSteps, newActionStep, newManualStep, toDrafts, type StepDraft, type StepIssue } from './runbook-drafts';
import { StepEditor } from './StepEditor';

/** The editor for one (group, target) runbook. */
export function RunbookEditor() {
  const call = useApp(selectCall);
  const allGroups = useApp(selectGroups);
  const servers = useApp(selectServers);
  const key = useApp((s) => s.runbookKey);
  const runbook = useApp((s) => s.runbook);
  const generated = useApp((s) => s.generatedRunbook);
  const openRunbook = useApp((s) => s.openRunbook);
  const groups = useMemo(() => allGroups.filter((g) => g.members.length > 0), [allGroups]);
  const [drafts, setDrafts] = useState<StepDraft[]>([]);
  const [issues, setIssues] = useState<StepIssue[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [newKind, setNewKind] = useState<ActionKind>('service.start');
  const [newServerId, setNewServerId] = useState<number | null>(null);

  // The drafts start from the runbook the store holds, and follow it when it changes elsewhere.
  useEffect(() => {
    if (runbook) setDrafts(toDrafts(runbook));
  }, [runbook]);

  const load = async (next: { groupId: number; targetServerId: number }) => {
    setIssues([]);
    setMessage(null);
    setNewServerId(next.targetServerId);
    await openRunbook(next);
  };
  const startAgain = () => {
    if (generated) setDrafts(toDrafts(generated));
  };

  const move = (index: number, by: -1 | 1) => {
    const next = [...drafts];
    const [item] = next.splice(index, 1);
    next.splice(Math.max(0, Math.min(next.length, index + by)), 0, item);
    setDrafts(next);
  };

  const save = async () => {
    if (!runbook || !key) return;
    setIssues([]);
    setMessage(null);
    const built = buildSteps(drafts);
    if (built.issues.length > 0) {
      setIssues(built.issues);
      return;
    }
    try {
      await call('runbooks.save', { groupId: key.groupId, direction: runbook.direction, sourceServerId: runbook.sourceServerId, targetServerId: key.targetServerId, steps: built.steps });
      setMessage('Saved. The group now needs a new drill to count as verified.');
    } catch (e) {
      if (e instanceof ApiError) setIssues(e.issues.length > 0 ? e.issues : [{ path: [], message: e.message }]);
      else setMessage((e as Error).message);
    }
  };

  const group = groups.find((g) => g.id === key?.groupId);
  const nameOf = (id: number) => servers.find((s) => s.id === id)?.name ?? `server ${id}`;
  const issuesOf = (i: number) => issues.filter((issue) => issue.path[0] === 'steps' && issue.path[1] === i);
  const members = group?.members.map((m) => ({ serverId: m.serverId, name: nameOf(m.serverId) })) ?? [];
  const addAction = () => {
    if (!group || !runbook || newServerId === null) return;
    const other = newServerId === runbook.sourceServerId ? runbook.targetServerId : runbook.sourceServerId;
    setDrafts([...drafts, newActionStep(newKind, group, newServerId, other, nameOf(newServerId))]);
  };
  return (
    <>
      <div className="screen-header">
        <div>
          <h1 id="screen-title">Runbooks</h1>
          <p className="screen-description">The steps that move a group to a member, in order. Generated from the group; yours to edit.</p>
        </div>
      </div>
      <label htmlFor="runbook-group">Group and target</label>
      <select
        id="runbook-group"
        value={key ? `${key.groupId}:${key.targetServerId}` : ''}
        onChange={(e) => {
          const [g, t] = e.target.value.split(':').map(Number);
          if (g && t) void load({ groupId: g, targetServerId: t });
        }}
      >
        <option value="">Choose…</option>
        {groups.flatMap((g) => g.members.map((m) => (
          <option key={`${g.id}:${m.serverId}`} value={`${g.id}:${m.serverId}`}>{g.name} → {nameOf(m.serverId)} ({g.members.length === 1 ? 'recovery in place' : m.role === 'standby' ? 'failover' : 'switchback'})</option>
        )))}
      </select>
      {runbook && group && key && (
        <section aria-label="steps">
          <p>{runbook.id === null ? 'Generated from the group (not saved yet).' : `Saved ${new Date(runbook.updatedAt ?? 0).toLocaleString()}.`}</p>
          <ol className="runbook-steps">
            {drafts.map((draft, i) => (
              <li key={i}>
                <StepEditor index={i} draft={draft} members={members} issues={issuesOf(i)} onChange={(next) => setDrafts(drafts.map((d, j) => (j === i ? next : d)))} />
                <div className="step-buttons">
                  <button type="button" className="button button-small" onClick={() => move(i, -1)} disabled={i === 0} aria-label={`Move step ${i + 1} up`}>Up</button>
                  <button type="button" className="button button-small" onClick={() => move(i, 1)} disabled={i === drafts.length - 1} aria-label={`Move step ${i + 1} down`}>Down</button>
                  <button type="button" className="button button-small button-quiet-danger" onClick={() => setDrafts(drafts.filter((_, j) => j !== i))} aria-label={`Remove step ${i + 1}`}>Remove</button>
                </div>
              </li>
            ))}
          </ol>
          <div className="runbook-toolbar">
          <button type="button" className="button" onClick={() => setDrafts([...drafts, newManualStep()])}>Add a manual step</button>
          <span className="runbook-add-action">
            <label htmlFor="runbook-new-kind">Action</label>
            <select id="runbook-new-kind" value={newKind} onChange={(e) => setNewKind(e.target.value as ActionKind)}>
              {ACTION_KINDS.map((kind) => <option key={kind} value={kind}>{kind}</option>)}
            </select>
            <label htmlFor="runbook-new-member">on</label>
            <select id="runbook-new-member" value={newServerId ?? ''} onChange={(e) => setNewServerId(Number(e.target.value))}>
              {members.map((m) => <option key={m.serverId} value={m.serverId}>{m.name}</option>)}
            </select>
            <button type="button" className="button" onClick={addAction}>Add an action step</button>
          </span>
          <button type="button" className="button" onClick={startAgain}>Start again from the generated runbook</button>
          <button type="button" className="button button-primary" onClick={() => void save()}>Save runbook</button>
          </div>
          {issues.filter((i) => i.path[0] !== 'steps').map((issue, k) => <p key={k} role="alert">{issue.message}</p>)}
          {message && <p role="status">{message}</p>}
        </section>
      )}
    </>
  );
}

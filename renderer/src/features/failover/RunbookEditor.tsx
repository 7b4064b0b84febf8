/**
 * Edit the runbook that moves a group to one member: reorder steps, add manual steps, change an
 * action's parameters (as JSON, validated by the contract on save; errors shown per step).
 */
import { useEffect, useState } from 'react';
import { ApiError, type Api } from '../../../../shared/api-client';
import type { Runbook, RunbookStep } from '../../../../shared/runbooks';
import type { Server, ServiceGroup } from '../../../../shared/domain';

interface Draft {
  step: RunbookStep;
  /** The action's parameters as the operator edits them. */
  paramsText: string;
}

const toDrafts = (runbook: Runbook): Draft[] => runbook.steps.map((step) => ({ step, paramsText: step.type === 'action' ? JSON.stringify(step.action.params, null, 2) : '' }));

/** The editor for one (group, target) runbook. */
export function RunbookEditor({ api }: { api: Api }) {
  const [groups, setGroups] = useState<ServiceGroup[]>([]);
  const [servers, setServers] = useState<Server[]>([]);
  const [key, setKey] = useState<{ groupId: number; targetServerId: number } | null>(null);
  const [runbook, setRunbook] = useState<Runbook | null>(null);
  const [drafts, setDrafts] = useState<Draft[]>([]);
  const [issues, setIssues] = useState<{ path: (string | number)[]; message: string }[]>([]);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    void api.call('workspace.snapshot', {}).then((s) => {
      setGroups(s.groups.filter((g) => g.members.length > 1));
      setServers(s.servers);
    });
  }, [api]);

  const load = async (next: { groupId: number; targetServerId: number }, generated = false) => {
    setKey(next);
    setIssues([]);
    setMessage(null);
    const loaded = await api.call(generated ? 'runbooks.generate' : 'runbooks.get', next);
    setRunbook(loaded);
    setDrafts(toDrafts(loaded));
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
    const steps: unknown[] = [];
    for (const [i, draft] of drafts.entries()) {
      if (draft.step.type === 'manual') { steps.push(draft.step); continue; }
      try {
        steps.push({ ...draft.step, action: { kind: draft.step.action.kind, params: JSON.parse(draft.paramsText) } });
      } catch {
        setIssues([{ path: ['steps', i, 'action', 'params'], message: 'not valid JSON' }]);
        return;
      }
    }
    try {
      const saved = await api.call('runbooks.save', { groupId: key.groupId, direction: runbook.direction, sourceServerId: runbook.sourceServerId, targetServerId: key.targetServerId, steps: steps as RunbookStep[] });
      setRunbook(saved);
      setDrafts(toDrafts(saved));
      setMessage('Saved. The group now needs a new drill to count as verified.');
    } catch (e) {
      if (e instanceof ApiError) setIssues(e.issues.length > 0 ? e.issues : [{ path: [], message: e.message }]);
      else setMessage((e as Error).message);
    }
  };

  const group = groups.find((g) => g.id === key?.groupId);
  const nameOf = (id: number) => servers.find((s) => s.id === id)?.name ?? `server ${id}`;
  const issuesOf = (i: number) => issues.filter((issue) => issue.path[0] === 'steps' && issue.path[1] === i);
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
          <option key={`${g.id}:${m.serverId}`} value={`${g.id}:${m.serverId}`}>{g.name} → {nameOf(m.serverId)} ({m.role === 'standby' ? 'failover' : 'switchback'})</option>
        )))}
      </select>
      {runbook && group && key && (
        <section aria-label="steps">
          <p>{runbook.id === null ? 'Generated from the group (not saved yet).' : `Saved ${new Date(runbook.updatedAt ?? 0).toLocaleString()}.`}</p>
          <ol className="runbook-steps">
            {drafts.map((draft, i) => (
              <li key={i}>
                <input aria-label={`Step ${i + 1} title`} value={draft.step.title} onChange={(e) => setDrafts(drafts.map((d, j) => (j === i ? { ...d, step: { ...d.step, title: e.target.value } } : d)))} />
                {draft.step.type === 'manual' ? (
                  <textarea aria-label={`Step ${i + 1} instruction`} value={draft.step.instruction} onChange={(e) => setDrafts(drafts.map((d, j) => (j === i && d.step.type === 'manual' ? { ...d, step: { ...d.step, instruction: e.target.value } } : d)))} />
                ) : (
                  <>
                    <span> {draft.step.action.kind} on {nameOf(draft.step.serverId)}</span>
                    <textarea aria-label={`Step ${i + 1} parameters`} value={draft.paramsText} rows={6} onChange={(e) => setDrafts(drafts.map((d, j) => (j === i ? { ...d, paramsText: e.target.value } : d)))} />
                  </>
                )}
                <button type="button" className="button" onClick={() => move(i, -1)} disabled={i === 0}>Up</button>
                <button type="button" className="button" onClick={() => move(i, 1)} disabled={i === drafts.length - 1}>Down</button>
                <button type="button" className="button" onClick={() => setDrafts(drafts.filter((_, j) => j !== i))}>Remove</button>
                {issuesOf(i).map((issue, k) => (
                  <p key={k} role="alert">{issue.path.slice(2).join('.') || 'step'}: {issue.message}</p>
                ))}
              </li>
            ))}
          </ol>
          <button type="button" className="button" onClick={() => setDrafts([...drafts, { step: { type: 'manual', title: 'New manual step', instruction: '', role: '', expectedMinutes: 5 }, paramsText: '' }])}>Add a manual step</button>{' '}
          <button type="button" className="button" onClick={() => void load(key, true)}>Start again from the generated runbook</button>{' '}
          <button type="button" className="button button-primary" onClick={() => void save()}>Save runbook</button>
          {issues.filter((i) => i.path[0] !== 'steps').map((issue, k) => <p key={k} role="alert">{issue.message}</p>)}
          {message && <p role="status">{message}</p>}
        </section>
      )}
    </>
  );
}

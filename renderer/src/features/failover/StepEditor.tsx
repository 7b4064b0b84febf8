/**
 * One step of the runbook editor: a manual step's title, instruction, role and expected minutes;
 * an action step's title, member and parameters (JSON). Its validation errors are shown with it.
 */
import type { StepDraft, StepIssue } from './runbook-drafts';

interface StepEditorProps {
  index: number;
  draft: StepDraft;
  members: { serverId: number; name: string }[];
  issues: StepIssue[];
  onChange(next: StepDraft): void;
}

/** The fields of one step. */
export function StepEditor({ index, draft, members, issues, onChange }: StepEditorProps) {
  const n = index + 1;
  const { step } = draft;
  return (
    <>
      <input aria-label={`Step ${n} title`} value={step.title} onChange={(e) => onChange({ ...draft, step: { ...step, title: e.target.value } })} />
      {step.type === 'manual' ? (
        <>
          <textarea aria-label={`Step ${n} instruction`} value={step.instruction} onChange={(e) => onChange({ ...draft, step: { ...step, instruction: e.target.value } })} />
          <label>
            Role <input aria-label={`Step ${n} role`} value={step.role} maxLength={120} onChange={(e) => onChange({ ...draft, step: { ...step, role: e.target.value } })} />
          </label>
          <label>
            Expected minutes <input aria-label={`Step ${n} expected minutes`} inputMode="numeric" value={draft.minutesText} onChange={(e) => onChange({ ...draft, minutesText: e.target.value })} />
          </label>
        </>
      ) : (
        <>
          <span> {step.action.kind} on </span>
          <select aria-label={`Step ${n} member`} value={step.serverId} onChange={(e) => onChange({ ...draft, step: { ...step, serverId: Number(e.target.value) } })}>
            {members.map((m) => (
              <option key={m.serverId} value={m.serverId}>{m.name}</option>
            ))}
          </select>
          <textarea aria-label={`Step ${n} parameters`} value={draft.paramsText} rows={6} onChange={(e) => onChange({ ...draft, paramsText: e.target.value })} />
        </>
      )}
      {issues.map((issue, k) => (
        <p key={k} role="alert">{issue.path.slice(2).join('.') || 'step'}: {issue.message}</p>
      ))}
    </>
  );
}

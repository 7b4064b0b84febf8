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
    <div className="step-fields">
      <div className="step-head">
        <span className="step-number">{n}</span>
        <span className={`kind-badge step-kind-${step.type}`}>{step.type === 'manual' ? 'manual' : step.action.kind}</span>
        <input className="step-title" aria-label={`Step ${n} title`} value={step.title} onChange={(e) => onChange({ ...draft, step: { ...step, title: e.target.value } })} />
      </div>
      {step.type === 'manual' ? (
        <>
          <textarea aria-label={`Step ${n} instruction`} rows={3} value={step.instruction} onChange={(e) => onChange({ ...draft, step: { ...step, instruction: e.target.value } })} />
          <div className="step-row">
            <label>
              Role <input aria-label={`Step ${n} role`} value={step.role} maxLength={120} onChange={(e) => onChange({ ...draft, step: { ...step, role: e.target.value } })} />
            </label>
            <label>
              Expected minutes <input aria-label={`Step ${n} expected minutes`} inputMode="numeric" value={draft.minutesText} onChange={(e) => onChange({ ...draft, minutesText: e.target.value })} />
            </label>
          </div>
        </>
      ) : (
        <>
          <div className="step-row">
            <label>
              Runs on{' '}
              <select aria-label={`Step ${n} member`} value={step.serverId} onChange={(e) => onChange({ ...draft, step: { ...step, serverId: Number(e.target.value) } })}>
                {members.map((m) => (
                  <option key={m.serverId} value={m.serverId}>{m.name}</option>
                ))}
              </select>
            </label>
          </div>
          <textarea className="mono step-params" aria-label={`Step ${n} parameters`} value={draft.paramsText} rows={Math.min(10, draft.paramsText.split('\n').length + 1)} onChange={(e) => onChange({ ...draft, paramsText: e.target.value })} spellCheck={false} />
        </>
      )}
      {issues.map((issue, k) => (
        <p key={k} role="alert" className="field-error">{issue.path.slice(2).join('.') || 'step'}: {issue.message}</p>
      ))}
    </div>
  );
}

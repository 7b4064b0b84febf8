/** The runbook being edited against the generated one: what was added, removed and changed, each linked to its step. */
import { fieldId } from '../../components/form-issues';
import { diffSummary, type StepDiff } from './runbook-diff';

const SIGN = { added: '+', removed: '−', changed: '~', same: '' } as const;

/** The comparison panel; `formId` finds the step cards to jump to; `onStartAgain` replaces the steps with the generated ones. */
export function RunbookDiff({
  diff,
  formId,
  onStartAgain,
}: {
  diff: readonly StepDiff[];
  formId: string;
  onStartAgain: () => void;
}) {
  const summary = diffSummary(diff);
  const focusStep = (index: number) => document.getElementById(fieldId(formId, `steps[${index}]`))?.focus();
  return (
    <section className="runbook-diff" aria-labelledby="runbook-diff-title" data-testid="runbook-diff">
      <div className="runbook-diff-head">
        <h2 id="runbook-diff-title">Compared with the generated runbook</h2>
        {summary !== null && (
          <button type="button" className="button button-small" onClick={onStartAgain}>
            Start again from the generated runbook
          </button>
        )}
      </div>
      {summary === null ? (
        <p className="muted">The same steps as the runbook Lifeboat generates from the group.</p>
      ) : (
        <>
          <p>{summary}.</p>
          <ul>
            {diff
              .filter((d) => d.status !== 'same')
              .map((d) => (
                <li
                  key={`${d.status}:${d.index ?? ''}:${d.generatedIndex ?? ''}`}
                  className={`runbook-diff-${d.status}`}
                >
                  <span aria-hidden="true" className="runbook-diff-sign">
                    {SIGN[d.status]}
                  </span>{' '}
                  {d.index === null ? (
                    <span>
                      Removed: {d.title || 'untitled step'} (step {(d.generatedIndex ?? 0) + 1} of the generated
                      runbook)
                    </span>
                  ) : (
                    <button type="button" className="link" onClick={() => focusStep(d.index!)}>
                      Step {d.index + 1} {d.status}: {d.title || 'untitled step'}
                      {d.changes.length > 0 &&
                        ` (${d.changes.map((c) => c.replace(/^action\.params\./, '')).join(', ')})`}
                    </button>
                  )}
                </li>
              ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** The list of problems at the top of a form after a refused save; each entry jumps to its field. */
import { useEffect, useRef } from 'react';
import { formatPath } from '../../../shared/errors';
import type { DraftForm } from './use-draft-form';
import { fieldId, owningField } from './form-issues';

export interface ErrorSummaryProps<F> {
  form: DraftForm<F>;
  /** Field key → label, for naming the field of each problem. */
  labels: Record<string, string>;
}

/** Shows the form-level error and every visible issue; takes focus after each failed save. */
export function ErrorSummary<F>({ form, labels }: ErrorSummaryProps<F>) {
  const ref = useRef<HTMLDivElement>(null);
  const { failedAttempts, issues, formError } = form;
  useEffect(() => {
    if (failedAttempts > 0) ref.current?.focus();
  }, [failedAttempts]);
  if (failedAttempts === 0 || (issues.length === 0 && !formError)) return null;
  const keys = Object.keys(labels);
  return (
    <div className="error-summary" role="alert" tabIndex={-1} ref={ref} data-testid="form-errors">
      <p className="error-summary-title">
        {issues.length > 0
          ? `Nothing was saved: ${issues.length === 1 ? 'one problem' : `${issues.length} problems`} to fix`
          : 'Nothing was saved'}
      </p>
      {formError && <p>{formError}</p>}
      {issues.length > 0 && (
        <ul>
          {issues.map((issue) => {
            const path = formatPath(issue.path);
            const owner = owningField(path, keys);
            const label = owner ? labels[owner] : path;
            return (
              <li key={`${path}:${issue.message}`}>
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    const target = document.getElementById(fieldId(form.id, owner ?? path));
                    const focusable = target?.matches('input, select, textarea, button')
                      ? target
                      : target?.querySelector<HTMLElement>('input, select, textarea, button');
                    focusable?.focus();
                  }}
                >
                  {label}: {issue.message}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

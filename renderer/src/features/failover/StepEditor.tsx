/**
 * One step of the runbook editor, as a numbered card: a manual step's fields, or an action step's
 * own fields (title, server, timeout, what to do when its server cannot be reached) and its
 * kind's parameters, all generated from the shared schemas. How it differs from the generated
 * runbook is marked on it.
 */
import { fieldId } from '../../components/form-issues';
import { ACTION_STEP_FIELDS, MANUAL_FIELDS, PARAM_FIELDS, type StepFields } from './runbook-drafts';
import type { StepDiff } from './runbook-diff';
import { SchemaFields, type Member } from './SchemaFields';

export interface StepEditorProps {
  formId: string;
  index: number;
  step: StepFields;
  members: readonly Member[];
  diff: StepDiff | undefined;
  errorsFor: (key: string, nested?: boolean) => string[];
  onTouch: (key: string) => void;
  /** `key` is the edited field's issue path. */
  onChange: (key: string, next: StepFields) => void;
}

/** The fields of one step. */
export function StepEditor({ formId, index, step, members, diff, errorsFor, onTouch, onChange }: StepEditorProps) {
  const n = index + 1;
  const key = `steps[${index}]`;
  const common = { formId, members, errorsFor, onTouch, labelPrefix: `Step ${n} ` };
  // Problems of the step as a whole (not of one field) are shown on the card.
  const ownErrors = errorsFor(key).concat(step.type === 'action' ? errorsFor(`${key}.action.params`) : []);
  return (
    <div className="step-fields" id={fieldId(formId, key)} tabIndex={-1} aria-label={`Step ${n}`}>
      <div className="step-head">
        <span className="step-number">{n}</span>
        <span className={`kind-badge step-kind-${step.type}`}>{step.type === 'manual' ? 'manual' : step.kind}</span>
        {diff && diff.status !== 'same' && (
          <span className={`step-diff step-diff-${diff.status}`} title={diff.changes.join(', ')}>
            {diff.status}
          </span>
        )}
      </div>
      <div className="step-field-grid">
        <SchemaFields
          {...common}
          fields={step.type === 'manual' ? MANUAL_FIELDS : ACTION_STEP_FIELDS}
          values={step.fields}
          keyPrefix={key}
          onChange={(edited, fields) => onChange(edited, { ...step, fields })}
        />
      </div>
      {step.type === 'action' && (
        <fieldset className="step-params">
          <legend>Parameters of {step.kind}</legend>
          <div className="step-field-grid">
            <SchemaFields
              {...common}
              fields={PARAM_FIELDS[step.kind]}
              values={step.params}
              keyPrefix={`${key}.action.params`}
              onChange={(edited, params) => onChange(edited, { ...step, params })}
            />
          </div>
        </fieldset>
      )}
      {ownErrors.length > 0 && (
        <div className="field-error" role="alert">
          {ownErrors.map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      )}
    </div>
  );
}

/**
 * The form of one (group, target) runbook, on the one form mechanism (useDraftForm): every step's
 * fields generated from the shared schemas, the problems summarised at the top with links to their
 * fields, and the comparison with the generated runbook. What the store holds is the base: it is
 * adopted when it changes elsewhere, unless the operator has edits, who is then told and chooses.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ServiceGroup } from '../../../../shared/domain';
import type { ActionKind, Runbook } from '../../../../shared/runbooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { useDraftForm } from '../../components/use-draft-form';
import { useApp } from '../../store/store-context';
import { selectApi, selectNotify } from '../../store/selectors';
import { diffRunbook } from './runbook-diff';
import {
  ACTION_KINDS,
  buildSteps,
  newActionStep,
  newManualStep,
  readableSteps,
  runbookFields,
  runbookLabels,
  type RunbookFields,
  type StepFields,
} from './runbook-drafts';
import { RunbookDiff } from './RunbookDiff';
import type { Member } from './SchemaFields';
import { StepEditor } from './StepEditor';

export const RUNBOOK_FORM_ID = 'runbook';

export interface RunbookFormProps {
  group: ServiceGroup;
  runbook: Runbook;
  generated: Runbook | null;
  members: readonly Member[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The editor of one runbook; mount it again (a new `key`) for another group or target. */
export function RunbookForm({ group, runbook, generated, members }: RunbookFormProps) {
  const api = useApp(selectApi);
  const notify = useApp(selectNotify);
  const refreshRunbook = useApp((s) => s.refreshRunbook);
  const [base, setBase] = useState(runbook);
  const [newKind, setNewKind] = useState<ActionKind>('service.start');
  const [newServerId, setNewServerId] = useState(runbook.targetServerId);
  const validate = useCallback((values: RunbookFields) => buildSteps(values.steps).issues, []);
  const form = useDraftForm<RunbookFields>({
    id: RUNBOOK_FORM_ID,
    initial: runbookFields(runbook),
    validate,
    save: async (values) => {
      const { steps } = buildSteps(values.steps);
      // A re-protect runbook is generated, never edited here; only moves are saved.
      if (runbook.direction === 'reprotect') throw new Error('a re-protect runbook is generated and cannot be saved');
      const saved = await api.call('runbooks.save', {
        groupId: runbook.groupId,
        direction: runbook.direction,
        sourceServerId: runbook.sourceServerId,
        targetServerId: runbook.targetServerId,
        steps,
      });
      setBase(saved);
      form.reset(runbookFields(saved));
      notify('success', 'Saved the runbook. The group now needs a new drill to count as verified.');
      void refreshRunbook();
    },
  });
  const { values } = form;
  const dirty = !same(values, runbookFields(base));
  const changedElsewhere = !same(runbook, base);

  const { reset } = form;
  const adopt = useCallback(() => {
    setBase(runbook);
    reset(runbookFields(runbook));
  }, [runbook, reset]);
  // A runbook changed elsewhere (another window, a plan import) replaces an untouched form at once.
  useEffect(() => {
    if (changedElsewhere && !dirty) adopt();
  }, [changedElsewhere, dirty, adopt]);

  const labels = useMemo(() => runbookLabels(values.steps), [values.steps]);
  const diff = useMemo(
    () => (generated ? diffRunbook(generated.steps, readableSteps(values.steps)) : []),
    [generated, values.steps],
  );
  const setSteps = (key: string, next: (steps: StepFields[]) => StepFields[]) =>
    form.update(key, (previous) => ({ steps: next(previous.steps) }));
  const move = (index: number, by: -1 | 1) =>
    setSteps('steps', (steps) => {
      const next = [...steps];
      const [item] = next.splice(index, 1);
      next.splice(Math.max(0, Math.min(next.length, index + by)), 0, item);
      return next;
    });
  const nameOf = (id: number) => members.find((m) => m.serverId === id)?.name ?? `server ${id}`;
  const addAction = () => {
    const other = newServerId === runbook.sourceServerId ? runbook.targetServerId : runbook.sourceServerId;
    setSteps('steps', (steps) => [...steps, newActionStep(newKind, group, newServerId, other, nameOf(newServerId))]);
  };

  return (
    <form onSubmit={form.submit} noValidate className="runbook-form">
      <p>
        {base.id === null
          ? 'Generated from the group (not saved yet).'
          : `Saved ${new Date(base.updatedAt ?? 0).toLocaleString()}.`}
      </p>
      {base.id !== null && base.problems.length > 0 && (
        <div className="runbook-stale" role="alert" aria-label="stale runbook">
          <p>
            <strong>Out of date: this saved runbook no longer fits the group.</strong> Pre-flight, plan and failover
            refuse it until it is fixed.
          </p>
          <ul>
            {base.problems.map((problem, k) => (
              <li key={k}>
                {problem.path[0] === 'steps' && typeof problem.path[1] === 'number'
                  ? `Step ${problem.path[1] + 1}: `
                  : ''}
                {problem.message}
              </li>
            ))}
          </ul>
          <p>To fix it: start again from the generated runbook and save, or edit the steps named above and save.</p>
        </div>
      )}
      {changedElsewhere && dirty && (
        <div className="runbook-elsewhere" role="alert">
          This runbook was changed elsewhere while you were editing it; saving replaces that version.{' '}
          <button type="button" className="button button-small" onClick={adopt}>
            Load that version (your edits are dropped)
          </button>
        </div>
      )}
      <ErrorSummary form={form} labels={labels} />
      {generated && (
        <RunbookDiff
          diff={diff}
          formId={RUNBOOK_FORM_ID}
          onStartAgain={() => setSteps('steps', () => runbookFields(generated).steps)}
        />
      )}
      <ol className="runbook-steps" id="runbook-steps" tabIndex={-1}>
        {values.steps.map((step, i) => (
          <li key={i}>
            <StepEditor
              formId={RUNBOOK_FORM_ID}
              index={i}
              step={step}
              members={members}
              diff={diff.find((d) => d.index === i)}
              errorsFor={form.errorsFor}
              onTouch={form.touch}
              onChange={(key, next) => setSteps(key, (steps) => steps.map((s, j) => (j === i ? next : s)))}
            />
            <div className="step-buttons">
              <button
                type="button"
                className="button button-small"
                onClick={() => move(i, -1)}
                disabled={i === 0}
                aria-label={`Move step ${i + 1} up`}
              >
                Up
              </button>
              <button
                type="button"
                className="button button-small"
                onClick={() => move(i, 1)}
                disabled={i === values.steps.length - 1}
                aria-label={`Move step ${i + 1} down`}
              >
                Down
              </button>
              <button
                type="button"
                className="button button-small button-quiet-danger"
                onClick={() => setSteps('steps', (steps) => steps.filter((_, j) => j !== i))}
                aria-label={`Remove step ${i + 1}`}
              >
                Remove
              </button>
            </div>
          </li>
        ))}
      </ol>
      <div className="runbook-toolbar">
        <button
          type="button"
          className="button"
          onClick={() => setSteps('steps', (steps) => [...steps, newManualStep()])}
        >
          Add a manual step
        </button>
        <span className="runbook-add-action">
          <label htmlFor="runbook-new-kind">Action</label>
          <select id="runbook-new-kind" value={newKind} onChange={(e) => setNewKind(e.target.value as ActionKind)}>
            {ACTION_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kind}
              </option>
            ))}
          </select>
          <label htmlFor="runbook-new-member">on</label>
          <select id="runbook-new-member" value={newServerId} onChange={(e) => setNewServerId(Number(e.target.value))}>
            {members.map((m) => (
              <option key={m.serverId} value={m.serverId}>
                {m.name}
              </option>
            ))}
          </select>
          <button type="button" className="button" onClick={addAction}>
            Add an action step
          </button>
        </span>
        <button type="submit" className="button button-primary" disabled={form.submitting}>
          Save runbook
        </button>
      </div>
    </form>
  );
}

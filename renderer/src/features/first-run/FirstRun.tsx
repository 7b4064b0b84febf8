/** The first screen of a new workspace: start empty, load the example company, or import a plan file. */
import { useCallback, useState } from 'react';
import { methods } from '../../../../shared/contract/index';
import { ErrorSummary } from '../../components/ErrorSummary';
import { LifebuoyIcon } from '../../components/icons';
import { TextField } from '../../components/fields';
import { schemaIssues } from '../../components/form-issues';
import { useDraftForm } from '../../components/use-draft-form';
import { useApp } from '../../store/store-context';
import { selectCall } from '../../store/selectors';
import { ImportPlanButton } from '../plan-file/PlanFileActions';

type Template = 'empty' | 'example';
const LABELS = { companyName: 'Company name' };
/** What `workspace.create` is sent for an empty workspace: the name only when one was typed. */
const emptyInput = (companyName: string) =>
  companyName.trim() ? { template: 'empty' as const, companyName: companyName.trim() } : { template: 'empty' as const };

/** Offers the two templates of `workspace.create`, and an import for those who have a plan file. */
export function FirstRun() {
  const call = useApp(selectCall);
  const path = useApp((s) => s.info?.path ?? '');
  const [busy, setBusy] = useState<Template | null>(null);
  const [error, setError] = useState<string | null>(null);
  const validate = useCallback(
    (fields: { companyName: string }) =>
      schemaIssues(methods['workspace.create'].input, emptyInput(fields.companyName)),
    [],
  );
  // Starting empty is a form (the company's name); the example is one click.
  const form = useDraftForm({
    id: 'first-run',
    initial: { companyName: '' },
    validate,
    save: async ({ companyName }) => {
      setBusy('empty');
      setError(null);
      try {
        await call('workspace.create', emptyInput(companyName));
      } finally {
        setBusy(null);
      }
    },
  });
  const loadExample = async () => {
    setBusy('example');
    setError(null);
    try {
      await call('workspace.create', { template: 'example' });
    } catch (e) {
      setError((e as Error).message);
      setBusy(null);
    }
  };

  return (
    <main className="center-page first-run" aria-labelledby="first-run-title">
      <div className="first-run-panel">
        <div className="brand brand-large">
          <LifebuoyIcon size={34} />
          <span>Lifeboat</span>
        </div>
        <h1 id="first-run-title">Set up your recovery workspace</h1>
        <p className="lead">
          Lifeboat keeps the list of what your business runs, where it runs, and how to bring it back when a server
          dies. Start with the example company to see how it fits together, or with an empty workspace for your own.
        </p>
        {error && (
          <div className="callout callout-error" role="alert">
            <p>{error}</p>
          </div>
        )}
        <div className="choices">
          <section className="choice choice-primary" aria-labelledby="choice-example">
            <h2 id="choice-example">Explore the example company</h2>
            <p>
              Northwind, a call centre of 40 people: a router, web, database and file servers in pairs, and a phone
              system on vendor hardware. Change anything you like; it is your workspace.
            </p>
            <button
              type="button"
              className="button button-primary"
              onClick={() => void loadExample()}
              disabled={busy !== null}
            >
              {busy === 'example' ? 'Loading…' : 'Load the example company'}
            </button>
          </section>
          <section className="choice" aria-labelledby="choice-empty">
            <h2 id="choice-empty">Start with an empty workspace</h2>
            <form onSubmit={form.submit} noValidate>
              <ErrorSummary form={form} labels={LABELS} />
              <TextField {...form.bind('companyName')} label={LABELS.companyName} optional />
              <button type="submit" className="button" disabled={busy !== null}>
                {busy === 'empty' ? 'Creating…' : 'Start empty'}
              </button>
            </form>
          </section>
        </div>
        <div className="first-run-import">
          <p>Already keep a plan file in git?</p>
          <ImportPlanButton className="button" />
        </div>
        {path && (
          <p className="muted small">
            Workspace file: <code>{path}</code>
          </p>
        )}
      </div>
    </main>
  );
}

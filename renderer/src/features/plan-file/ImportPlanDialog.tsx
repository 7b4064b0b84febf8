/** Confirms an import (it replaces everything) and shows a refused file's problems by line. */
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../../../shared/api-client';
import { Dialog, DialogBody, DialogFooter } from '../../components/Dialog';
import { useApp } from '../../store/store-context';
import { selectCall, selectNotify } from '../../store/selectors';
import { describeCounts } from './plan-download';

export interface ChosenPlan {
  name: string;
  yaml: string;
}

interface Refusal {
  message: string;
  problems: string[];
}

/** Import confirmation; stays open with the line-numbered problems when the host refuses the file. */
export function ImportPlanDialog({ plan, onClose }: { plan: ChosenPlan; onClose: () => void }) {
  const call = useApp(selectCall);
  const notify = useApp(selectNotify);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  // The import button goes away with the refusal: keep focus in the dialog.
  useEffect(() => {
    if (refusal) closeButton.current?.focus();
  }, [refusal]);

  const importPlan = async () => {
    setBusy(true);
    setRefusal(null);
    try {
      const { dropped, ...counts } = await call('workspace.importPlan', { yaml: plan.yaml });
      notify('success', `Imported ${plan.name}: ${describeCounts(counts)}.`);
      if (dropped.length > 0) notify('info', 'Removed with entries no longer in the plan:', dropped);
      onClose();
    } catch (error) {
      const problems = error instanceof ApiError ? error.issues.map((issue) => issue.message) : [];
      setRefusal({ message: (error as Error).message, problems });
      setBusy(false);
    }
  };

  return (
    <Dialog title="Import plan file" onClose={onClose} size="medium" testId="import-plan">
      <DialogBody>
        <p>
          Import <strong className="mono">{plan.name}</strong> ({plan.yaml.split('\n').length} lines)?
        </p>
        <div className="callout callout-warning">
          <p>
            It replaces everything in this workspace: servers, services, groups and contacts. Checks and runbooks stay
            with the servers and groups whose names are still in the file. The import is all or nothing.
          </p>
        </div>
        {refusal && (
          <div className="callout callout-error" role="alert" data-testid="import-errors">
            <p className="callout-title">The plan file was refused; nothing changed.</p>
            {refusal.problems.length > 0 ? (
              <ul className="problem-list">
                {refusal.problems.map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            ) : (
              <p>{refusal.message}</p>
            )}
          </div>
        )}
      </DialogBody>
      <DialogFooter>
        <button type="button" className="button" onClick={onClose} ref={closeButton} data-autofocus>
          {refusal ? 'Close' : 'Cancel'}
        </button>
        {!refusal && (
          <button type="button" className="button button-primary" onClick={importPlan} disabled={busy}>
            {busy ? 'Importing…' : 'Replace the workspace'}
          </button>
        )}
      </DialogFooter>
    </Dialog>
  );
}

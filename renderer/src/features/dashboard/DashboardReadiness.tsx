/** The Dashboard's readiness panel: `plan.summary` read again whenever the workspace changes. */
import { useEffect, useState } from 'react';
import type { PlanSummary } from '../../../../shared/contract/plan';
import { useApp } from '../../store/store-context';
import { selectCall, selectGroupStates } from '../../store/selectors';
import type { AppState } from '../../store/app-state';
import { ReadinessSummary } from '../plan/ReadinessSummary';

const selectSnapshot = (s: AppState) => s.snapshot;

/** Score and top fixes, or why they could not be worked out. */
export function DashboardReadiness() {
  const call = useApp(selectCall);
  const snapshot = useApp(selectSnapshot);
  // A failover or re-protect that finished changed what readiness says about redundancy.
  const groupStates = useApp(selectGroupStates);
  const [readiness, setReadiness] = useState<PlanSummary['readiness'] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    call('plan.summary', {}).then(
      (summary) => {
        if (!live) return;
        setReadiness(summary.readiness);
        setProblem(null);
      },
      (error: Error) => live && setProblem(error.message),
    );
    return () => {
      live = false;
    };
  }, [call, snapshot, groupStates]);

  if (problem) {
    return (
      <section className="panel" aria-labelledby="readiness-problem-title">
        <h2 id="readiness-problem-title" className="panel-title">
          Readiness
        </h2>
        <p role="alert" className="callout callout-error">
          Readiness could not be worked out: {problem}
        </p>
      </section>
    );
  }
  return readiness ? <ReadinessSummary readiness={readiness} /> : null;
}

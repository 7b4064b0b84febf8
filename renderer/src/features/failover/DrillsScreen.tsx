/** Drills: per group, the last good drill and whether it still counts; the drill history with times against the RTO. */
import { useMemo } from 'react';
import type { DrillStatus } from '../../../../shared/contract/failover';
import { useApp } from '../../store/store-context';
import { formatElapsed } from './run-format';
import { TestRecoveryPanel } from './TestRecoveryPanel';

const STATUS_LABEL: Record<DrillStatus['status'], string> = {
  never: 'Never drilled',
  good: 'Verified',
  'needs-verification': 'Needs verification',
};

/** Drill status and history, from the store (refreshed when a run finishes or the workspace changes). */
export function DrillsScreen() {
  const statuses = useApp((s) => s.drillStatuses);
  const allRuns = useApp((s) => s.runs);
  const drillsError = useApp((s) => s.drillsError);
  const runsError = useApp((s) => s.runsError);
  const runs = useMemo(() => allRuns.filter((run) => run.mode === 'drill'), [allRuns]);
  const error = drillsError ?? runsError;

  return (
    <>
      <div className="screen-header">
        <div>
          <h1 id="screen-title">Drills</h1>
          <p className="screen-description">
            A drill runs the real runbook as a timed exercise. It stops counting when the group or its runbook changes,
            or after {statuses[0]?.maxAgeDays ?? 90} days.
          </p>
        </div>
      </div>
      {error && <p role="alert">{error}</p>}
      <TestRecoveryPanel runnable />
      <h2>Drills</h2>
      <table className="table">
        <thead>
          <tr>
            <th>Group</th>
            <th>Status</th>
            <th>Last good drill</th>
            <th>Took</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {statuses.map((s) => (
            <tr key={s.groupId}>
              <td>{s.groupName}</td>
              <td>{STATUS_LABEL[s.status]}</td>
              <td>{s.lastGoodDrill ? new Date(s.lastGoodDrill.at).toLocaleDateString() : '—'}</td>
              <td>
                {s.lastGoodDrill
                  ? `${formatElapsed(s.lastGoodDrill.elapsedMs)}${s.lastGoodDrill.rtoMinutes !== null ? ` of ${s.lastGoodDrill.rtoMinutes} min RTO` : ''}`
                  : '—'}
              </td>
              <td>{s.reasons.join('; ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Drill reports</h2>
      {runs.map((run) => (
        <details key={run.id}>
          <summary>
            #{run.id} {run.groupName}, {new Date(run.startedAt).toLocaleString()}: {run.status},{' '}
            {formatElapsed(run.elapsedMs)}
            {run.rtoMinutes !== null ? ` (RTO ${run.rtoMinutes} min)` : ''}
          </summary>
          <p>{run.summary}</p>
          <table className="table">
            <thead>
              <tr>
                <th>Step</th>
                <th>Status</th>
                <th>Took</th>
                <th>Note</th>
              </tr>
            </thead>
            <tbody>
              {run.steps.map((step) => (
                <tr key={step.index}>
                  <td>
                    {step.index + 1}. {step.title}
                  </td>
                  <td>{step.status}</td>
                  <td>{formatElapsed(step.elapsedMs)}</td>
                  <td>{step.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ))}
    </>
  );
}

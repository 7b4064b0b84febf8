/** Drills: per group, the last good drill and whether it still counts; the drill history with times against the RTO. */
import { useEffect, useState } from 'react';
import type { Api } from '../../../../shared/api-client';
import type { DrillStatus, RunView } from '../../../../shared/contract/failover';
import { formatElapsed } from './use-run';

const STATUS_LABEL: Record<DrillStatus['status'], string> = { never: 'Never drilled', good: 'Verified', 'needs-verification': 'Needs verification' };

/** Drill status and history. */
export function DrillsScreen({ api }: { api: Api }) {
  const [statuses, setStatuses] = useState<DrillStatus[]>([]);
  const [runs, setRuns] = useState<RunView[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void Promise.all([api.call('drills.status', {}), api.call('runs.list', { limit: 200 })]).then(
      ([s, r]) => {
        setStatuses(s);
        setRuns(r.filter((run) => run.mode === 'drill'));
      },
      (e: Error) => setError(e.message),
    );
  }, [api]);

  return (
    <>
      <div className="screen-header">
        <div>
          <h1 id="screen-title">Drills</h1>
          <p className="screen-description">
            A drill runs the real runbook as a timed exercise. It stops counting when the group or its runbook changes, or after {statuses[0]?.maxAgeDays ?? 90} days.
          </p>
        </div>
      </div>
      {error && <p role="alert">{error}</p>}
      <table className="table">
        <thead><tr><th>Group</th><th>Status</th><th>Last good drill</th><th>Took</th><th>Why</th></tr></thead>
        <tbody>
          {statuses.map((s) => (
            <tr key={s.groupId}>
              <td>{s.groupName}</td>
              <td>{STATUS_LABEL[s.status]}</td>
              <td>{s.lastGoodDrill ? new Date(s.lastGoodDrill.at).toLocaleDateString() : '—'}</td>
              <td>{s.lastGoodDrill ? `${formatElapsed(s.lastGoodDrill.elapsedMs)}${s.lastGoodDrill.rtoMinutes !== null ? ` of ${s.lastGoodDrill.rtoMinutes} min RTO` : ''}` : '—'}</td>
              <td>{s.reasons.join('; ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Drill reports</h2>
      {runs.map((run) => (
        <details key={run.id}>
          <summary>#{run.id} {run.groupName}, {new Date(run.startedAt).toLocaleString()}: {run.status}, {formatElapsed(run.elapsedMs)}{run.rtoMinutes !== null ? ` (RTO ${run.rtoMinutes} min)` : ''}</summary>
          <p>{run.summary}</p>
          <table className="table">
            <thead><tr><th>Step</th><th>Status</th><th>Took</th><th>Note</th></tr></thead>
            <tbody>
              {run.steps.map((step) => (
                <tr key={step.index}><td>{step.index + 1}. {step.title}</td><td>{step.status}</td><td>{formatElapsed(step.elapsedMs)}</td><td>{step.message}</td></tr>
              ))}
            </tbody>
          </table>
        </details>
      ))}
    </>
  );
}

/**
 * A whole-company recovery as it happens: the company's target clock and each group's RTO clock
 * always in view, each group's state, its latest output and the question its run waits on (a
 * manual step with who does it and their phone, or a halt), then the summary comparing each RTO
 * and the target with what was achieved. Everything comes from the store (recovery.changed and
 * the runs' output events).
 */
import { useEffect, useState } from 'react';
import type { OperatorResponse, RunOutput } from '../../../../shared/contract/failover';
import type { RecoveryGroupView, RecoveryView } from '../../../../shared/contract/recovery';
import { formatMinutes } from '../../../../shared/logic/recovery-order';
import { useApp } from '../../store/store-context';
import { selectCall } from '../../store/selectors';
import { formatElapsed } from './run-format';

const ANSWER_LABEL: Record<OperatorResponse, string> = {
  tick: 'Done',
  retry: 'Retry',
  skip: 'Skip…',
  abort: 'Abort',
  acknowledge: 'Acknowledge and go on',
};
const NO_LINES: RunOutput[] = [];
/** Output lines shown per group (the run's own page and the audit log keep everything). */
const SHOWN_LINES = 8;

/** The time now, every second while `running`. */
function useNow(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return now;
}

/** "2 min 5 s of 30 min" with the state of the clock. */
function Clock({ label, elapsedMs, limitMinutes }: { label: string; elapsedMs: number; limitMinutes: number | null }) {
  const over = limitMinutes !== null && elapsedMs > limitMinutes * 60_000;
  return (
    <span className={`recovery-clock${over ? ' recovery-clock-over' : ''}`} aria-label={label}>
      {formatElapsed(elapsedMs)}
      {limitMinutes !== null && ` of ${formatMinutes(limitMinutes)}${over ? ' (EXCEEDED)' : ''}`}
    </span>
  );
}

function GroupCard({ group, view, now }: { group: RecoveryGroupView; view: RecoveryView; now: number }) {
  const call = useApp(selectCall);
  const lines = useApp((s) => (group.runId === null ? NO_LINES : (s.recoveryOutput[group.runId] ?? NO_LINES)));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const elapsed = group.backAfterMs ?? group.endedAfterMs ?? (view.finishedAt ?? now) - view.startedAt;
  const manual = group.waiting ? group.manual.find((m) => m.stepIndex === group.waiting!.stepIndex) : undefined;

  const answer = async (action: OperatorResponse) => {
    if (!group.waiting || group.runId === null) return;
    setError(null);
    if ((action === 'skip' || action === 'abort') && reason.trim().length < 3) {
      setError('Give a reason (3 characters at least) to skip or abort.');
      return;
    }
    try {
      await call('failover.respond', {
        runId: group.runId,
        stepIndex: group.waiting.stepIndex,
        action,
        reason: reason.trim() || undefined,
      });
      setReason('');
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <li className={`recovery-group recovery-group-${group.state}`} data-testid={`recovery-group-${group.groupName}`}>
      <div className="recovery-group-head">
        <strong>{group.groupName}</strong> → {group.targetName}{' '}
        <span className="recovery-state" data-testid="recovery-state">
          {group.state}
        </span>{' '}
        <Clock label={`RTO clock of ${group.groupName}`} elapsedMs={elapsed} limitMinutes={group.rtoMinutes} />
        {group.runId !== null && <span className="muted"> run #{group.runId}</span>}
      </div>
      {group.detail && <p className="recovery-detail">{group.detail}</p>}
      {group.services.length > 0 && (
        <p className="recovery-services">
          {group.services.map((s) => (
            <span key={s.name}>
              {s.name}: RTO {formatMinutes(s.rtoMinutes)}
              {s.withinRto === null ? '' : s.withinRto ? ' (within)' : ' (EXCEEDED)'}
            </span>
          ))}
        </p>
      )}
      {lines.length > 0 && (
        <pre className="run-output" aria-label={`output of ${group.groupName}`}>
          {lines.slice(-SHOWN_LINES).map((line, i) => (
            <span key={i} className={`run-output-${line.stream}`}>
              {line.host ? `[${line.host}] ` : ''}
              {line.stream === 'command' ? commandTitle(line.text) : line.text}
              {'\n'}
            </span>
          ))}
        </pre>
      )}
      {group.waiting && (
        <div className="run-waiting" role="alertdialog" aria-label={`${group.groupName} is waiting`}>
          <p>
            Step {group.waiting.stepIndex + 1} is waiting: {group.waiting.prompt}
            {manual?.owner && (
              <>
                {' '}
                — <strong>{manual.owner}</strong>
                {manual.phone && <span className="mono"> {manual.phone}</span>}
              </>
            )}
          </p>
          <label htmlFor={`recovery-reason-${group.groupId}`}>Reason (needed to skip or abort)</label>
          <input
            id={`recovery-reason-${group.groupId}`}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={1000}
          />
          <div className="run-answers">
            {group.waiting.options.map((option) => (
              <button
                key={option}
                type="button"
                className={option === 'abort' ? 'button button-danger' : 'button'}
                onClick={() => void answer(option)}
              >
                {ANSWER_LABEL[option]}
              </button>
            ))}
          </div>
          {error && <p role="alert">{error}</p>}
        </div>
      )}
    </li>
  );
}

/** What was achieved against each RTO and the company's target. */
function Summary({ view }: { view: RecoveryView }) {
  return (
    <section aria-labelledby="recovery-summary-title" className="recovery-summary">
      <h3 id="recovery-summary-title">Achieved against the targets</h3>
      <table className="table">
        <thead>
          <tr>
            <th>Service</th>
            <th>Group</th>
            <th>RTO</th>
            <th>Back after</th>
            <th>Result</th>
          </tr>
        </thead>
        <tbody>
          {view.groups.flatMap((g) =>
            (g.services.length ? g.services : [{ name: '—', rtoMinutes: null, withinRto: null }]).map((s) => (
              <tr key={`${g.groupId}-${s.name}`}>
                <td>{s.name}</td>
                <td>{g.groupName}</td>
                <td>{s.rtoMinutes === null ? '—' : formatMinutes(s.rtoMinutes)}</td>
                <td>{formatElapsed(g.backAfterMs)}</td>
                <td>{s.withinRto === null ? `not back (${g.state})` : s.withinRto ? 'within' : 'EXCEEDED'}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
      <p className="run-summary">{view.summary}</p>
    </section>
  );
}

/** The live recovery, grouped by priority. */
/**
 * A command as this summary shows it: its first line (the "# what it does" title the engine puts
 * first). The whole script is in the group's run, on the single-group run screen and in the audit.
 */
function commandTitle(script: string): string {
  const first = script.split('\n', 1)[0];
  return script.includes('\n') ? `${first} …` : first;
}

export function RecoveryRunPanel({ view }: { view: RecoveryView }) {
  const running = view.status === 'running';
  const now = useNow(running);
  const elapsed = (view.finishedAt ?? now) - view.startedAt;
  const priorities = [...new Set(view.groups.map((g) => g.priority))];
  return (
    <section aria-labelledby="recovery-run-title" className="run-panel recovery-run">
      <h2 id="recovery-run-title">
        Recovery #{view.id} of {view.companyName || 'the company'}: {view.status}
      </h2>
      <p className="recovery-target" data-testid="recovery-target-clock">
        Company target: <Clock label="company target clock" elapsedMs={elapsed} limitMinutes={view.targetMinutes} />
        {view.targetMinutes === null && ' (no target set in Settings)'}
      </p>
      {priorities.map((priority) => (
        <div key={priority}>
          <h3 className="recovery-priority">
            Priority {priority}
            {view.groups.filter((g) => g.priority === priority).length > 1 ? ' (in parallel)' : ''}
          </h3>
          <ol className="recovery-groups">
            {view.groups
              .filter((g) => g.priority === priority)
              .map((g) => (
                <GroupCard key={g.groupId} group={g} view={view} now={now} />
              ))}
          </ol>
        </div>
      ))}
      {!running && <Summary view={view} />}
    </section>
  );
}

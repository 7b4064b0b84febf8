/**
 * The test recovery: each group's newest result ("passed" or "broken: <reason>"), read again when
 * the workspace changes, and (on the Drills screen) a button that runs one now. It reads every
 * step's preconditions on the real hosts and changes nothing.
 */
import { useCallback, useEffect, useState } from 'react';
import type { TestRecoveryGroup } from '../../../../shared/contract/test-recovery';
import { PRECONDITION_WORDS } from '../../../../shared/contract/test-recovery';
import { useApp } from '../../store/store-context';
import { selectCall } from '../../store/selectors';
import type { AppState } from '../../store/app-state';
import { hashOf } from '../../app/routing';

const selectSnapshot = (s: AppState) => s.snapshot;

const seconds = (value: number | null) =>
  value === null ? 'not measured' : value >= 120 ? `${Math.round(value / 60)} min` : `${value} s`;

function GroupResult({ result, detailed }: { result: TestRecoveryGroup; detailed: boolean }) {
  const live = result.directions.find((d) => d.live) ?? result.directions[0];
  return (
    <li data-testid="test-recovery-group" data-passed={result.passed}>
      <strong>{result.groupName}</strong>:{' '}
      {result.passed ? (
        <span>passed</span>
      ) : (
        <span className="callout-error-text" role="status">
          broken: {result.reason}
        </span>
      )}{' '}
      <span className="muted">
        ({new Date(result.at).toLocaleString()}, {result.trigger === 'schedule' ? 'scheduled' : result.actor})
      </span>
      {detailed && live && (
        <details>
          <summary>
            {live.direction} {live.source} → {live.target}: expected {seconds(live.expectedSeconds)}
          </summary>
          <ul>
            {live.checks.map((check, i) => (
              <li key={i}>
                [{check.status}] {PRECONDITION_WORDS[check.precondition]} ({check.subject}): {check.detail}
              </li>
            ))}
          </ul>
          <ol>
            {live.steps.map((step) => (
              <li key={step.index}>
                {step.title}: expected {seconds(step.expectedSeconds)}
                {step.expectedFrom === 'none' ? '' : ` (${step.expectedFrom})`}
              </li>
            ))}
          </ol>
        </details>
      )}
    </li>
  );
}

/** Each group's newest test recovery; `runnable` adds the button that runs one (Drills screen). */
export function TestRecoveryPanel({ runnable }: { runnable: boolean }) {
  const call = useApp(selectCall);
  const snapshot = useApp(selectSnapshot);
  const [results, setResults] = useState<TestRecoveryGroup[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  useEffect(() => {
    let live = true;
    call('recovery.testResults', {}).then(
      (value) => {
        if (!live) return;
        setResults(value);
        setProblem(null);
      },
      (error: Error) => live && setProblem(error.message),
    );
    return () => {
      live = false;
    };
  }, [call, snapshot]);

  const run = useCallback(async () => {
    setRunning(true);
    setProblem(null);
    try {
      const report = await call('recovery.test', {});
      setResults(report.groups);
    } catch (error) {
      setProblem((error as Error).message);
    } finally {
      setRunning(false);
    }
  }, [call]);

  return (
    <section aria-labelledby="test-recovery-title" className="panel" data-testid="test-recovery">
      <h2 id="test-recovery-title" className="panel-title">
        Test recovery
      </h2>
      <p className="panel-description">
        Every step&apos;s preconditions read on the real servers, changing nothing: logins, units, interfaces, who
        answers for each VIP, PostgreSQL and replication, the sync&apos;s dry run and disk space, clocks.
      </p>
      {runnable && (
        <button type="button" className="button" disabled={running} onClick={() => void run()}>
          {running ? 'Testing…' : 'Run a test recovery now'}
        </button>
      )}
      {problem && (
        <p role="alert" className="callout callout-error">
          The test recovery could not be read or run: {problem}
        </p>
      )}
      {results === null && !problem ? (
        <p className="muted">Reading…</p>
      ) : results && results.length === 0 ? (
        <p className="muted">
          No test recovery has run yet. {runnable ? '' : <a href={hashOf('drills')}>Run one from the Drills screen</a>}
        </p>
      ) : (
        <ul className="test-recovery-list">
          {results?.map((result) => (
            <GroupResult key={result.groupId} result={result} detailed={runnable} />
          ))}
        </ul>
      )}
    </section>
  );
}

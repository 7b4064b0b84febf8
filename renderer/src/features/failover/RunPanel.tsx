/**
 * A run as it happens: every step with its status and live output, the question it waits on, and
 * the summary. The store follows the run (its view and output come from the run events).
 */
import { useEffect, useState } from 'react';
import type { OperatorResponse, RunOutput, StepState } from '../../../../shared/contract/failover';
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

function OutputLines({ lines }: { lines: RunOutput[] }) {
  if (lines.length === 0) return null;
  return (
    <pre className="run-output" aria-label="output">
      {lines.map((line, i) => (
        <span key={i} className={`run-output-${line.stream}`}>
          {line.stream === 'command' ? `[${line.host}] ` : line.host ? `[${line.host}] ` : ''}
          {line.text}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}

/** One step's row with its output. */
function StepRow({ step, lines }: { step: StepState; lines: RunOutput[] }) {
  return (
    <li className={`run-step run-step-${step.status}`}>
      <div className="run-step-head">
        <strong>
          {step.index + 1}. {step.title}
        </strong>{' '}
        <span className="run-step-status">{step.status}</span>{' '}
        <span className="run-step-time">{formatElapsed(step.elapsedMs)}</span>
      </div>
      {step.message && <p className="run-step-message">{step.message}</p>}
      {step.observed && <p className="run-step-observed">Observed: {step.observed}</p>}
      <OutputLines lines={lines} />
    </li>
  );
}

const NO_LINES: RunOutput[] = [];

/** The live run with answers for a halted or manual step. */
export function RunPanel({ runId }: { runId: number }) {
  const call = useApp(selectCall);
  const followRun = useApp((s) => s.followRun);
  const followed = useApp((s) => s.followedRunId);
  const run = useApp((s) => (s.followedRunId === runId ? s.followedRun : null));
  const output = useApp((s) => s.followedOutput);
  const error = useApp((s) => s.followedError);
  useEffect(() => followRun(runId), [followRun, runId]);
  const [reason, setReason] = useState('');
  const [answerError, setAnswerError] = useState<string | null>(null);
  if (error && followed === runId) return <p role="alert">{error}</p>;
  if (!run) return <p>Loading run #{runId}…</p>;

  const answer = async (action: OperatorResponse) => {
    setAnswerError(null);
    if ((action === 'skip' || action === 'abort') && reason.trim().length < 3) {
      setAnswerError('Give a reason (3 characters at least) to skip or abort.');
      return;
    }
    try {
      await call('failover.respond', {
        runId,
        stepIndex: run.waiting!.stepIndex,
        action,
        reason: reason.trim() || undefined,
      });
      setReason('');
    } catch (e) {
      setAnswerError((e as Error).message);
    }
  };

  const rtoMs = run.rtoMinutes === null ? null : run.rtoMinutes * 60_000;
  return (
    <section aria-labelledby="run-title" className="run-panel">
      <h2 id="run-title">
        {run.mode === 'drill' ? 'Drill' : 'Failover'} #{run.id} of {run.groupName}: {run.status}
      </h2>
      <p>
        Elapsed {formatElapsed(run.elapsedMs)}
        {rtoMs !== null &&
          ` of an RTO of ${run.rtoMinutes} min${run.elapsedMs !== null && run.elapsedMs > rtoMs ? ' (EXCEEDED)' : ''}`}
      </p>
      <OutputLines lines={output[-1] ?? NO_LINES} />
      <ol className="run-steps">
        {run.steps.map((step) => (
          <StepRow key={step.index} step={step} lines={output[step.index] ?? NO_LINES} />
        ))}
      </ol>
      {run.waiting && (
        <div className="run-waiting" role="alertdialog" aria-labelledby="run-waiting-prompt">
          <p id="run-waiting-prompt">
            Step {run.waiting.stepIndex + 1} is waiting: {run.waiting.prompt}
          </p>
          <label htmlFor="run-reason">Reason (needed to skip or abort)</label>
          <input id="run-reason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} />
          <div className="run-answers">
            {run.waiting.options.map((option) => (
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
          {answerError && <p role="alert">{answerError}</p>}
        </div>
      )}
      {run.status === 'interrupted' && (
        <p role="alert">
          Interrupted: Lifeboat stopped during this run (last command: {run.lastIntent?.command ?? 'none'} on{' '}
          {run.lastIntent?.host || '—'}). Nothing resumes by itself.
        </p>
      )}
      {run.status !== 'running' && <p className="run-summary">{run.summary}</p>}
    </section>
  );
}

/**
 * Retries, owned by the scheduler (never by a kind): a failed observation is shown as `warn`
 * ("retrying") until `retries` more have failed in a row, then it counts as `fail`. A definite
 * alarm (two VIP holders) counts at once. `unknown` neither counts nor clears a failure streak.
 */
import type { Check, CheckStatus } from '../../shared/checks';
import type { CheckState } from '../db/repositories/checks';
import type { Evaluation } from './kind';

/** An observation after retries: the status that counts and the carried state. */
export interface Counted {
  status: CheckStatus;
  summary: string;
  state: CheckState;
}

/** The status that counts for this observation, and the carried state after it. */
export function countObservation(
  check: Pick<Check, 'retries'>,
  previous: CheckState,
  evaluation: Evaluation,
  now: number,
): Counted {
  const { status: observed, summary } = evaluation;
  if (observed === 'fail') {
    const failures = previous.failures + 1;
    const state = { ...previous, failures, downSince: previous.downSince ?? now };
    // Once a failure has counted, every further failure counts: the retries are spent.
    if (evaluation.immediate || failures > check.retries || previous.settled === 'fail')
      return { status: 'fail', summary, state };
    return { status: 'warn', summary: `${summary} (retry ${failures} of ${check.retries} before it counts)`, state };
  }
  if (observed === 'unknown') return { status: 'unknown', summary, state: previous };
  // A streak that never counted leaves no outage behind; a counted one ends when alerts see `ok`.
  const downSince = previous.settled === 'fail' ? previous.downSince : null;
  return { status: observed, summary, state: { ...previous, failures: 0, downSince } };
}

/** When to look again: sooner while a failure is being retried. */
export function nextRunDelaySeconds(check: Pick<Check, 'intervalSeconds'>, counted: Counted): number {
  const retrying = counted.state.failures > 0 && counted.status === 'warn';
  return retrying ? Math.min(check.intervalSeconds, 20) : check.intervalSeconds;
}

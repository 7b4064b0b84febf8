/**
 * Whether a finished drill proves its runbook: every step ran and ended succeeded (or no-op, the
 * state already right), and no step halted on the way (no retry, skip or abort in its audit rows).
 * A drill with a skipped, refused or indeterminate step does not count as a good drill.
 */
import type { Db } from '../db/connection';
import type { StepState, StepStatus } from '../../shared/contract/failover';
import { countAuditOfRun } from '../db/repositories/audit';

const CLEAN: readonly StepStatus[] = ['succeeded', 'no-op'];

/** Why the run is not a good drill (empty when it is one, apart from its own status). */
export function goodDrillProblems(db: Db, runId: number, steps: readonly StepState[]): string[] {
  const problems: string[] = [];
  const unclean = steps.filter((s) => !CLEAN.includes(s.status));
  for (const status of new Set(unclean.map((s) => s.status))) {
    const which = unclean.filter((s) => s.status === status).map((s) => s.index + 1);
    problems.push(`step ${which.join(', ')} ${status}`);
  }
  const halts = countAuditOfRun(db, runId, ['retry', 'skip', 'abort']);
  if (halts > 0 && unclean.length === 0) problems.push(`${halts} halt(s) answered on the way`);
  return problems;
}

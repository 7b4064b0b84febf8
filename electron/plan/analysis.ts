/** Everything the Dashboard, the Plan screen and the plan document compute from one workspace. */
import type { Snapshot } from '../../shared/domain';
import { recoveryOrder, type RecoveryStep } from '../../shared/logic/recovery-order';
import {
  assessReadiness,
  drillMinutesByGroup,
  singlePointsOfFailure,
  type Readiness,
  type ReadinessEvidence,
  type SinglePointOfFailure,
} from '../../shared/logic/readiness';
import { outageImpact, type ImpactSummary } from '../../shared/logic/impact';
import { unprotectedServices, type UnprotectedService } from '../../shared/logic/protection';

export interface PlanAnalysis {
  order: RecoveryStep[];
  readiness: Readiness;
  impact: ImpactSummary;
  unprotected: UnprotectedService[];
  singlePoints: SinglePointOfFailure[];
}

/**
 * Recovery order (timed by drills where they exist), readiness, the cost of outages and the gaps.
 * Throws LifeboatError('dependency_cycle') when services depend on each other in a circle.
 */
export function analysePlan(snapshot: Snapshot, evidence: ReadinessEvidence = {}): PlanAnalysis {
  const order = recoveryOrder(snapshot.services, drillMinutesByGroup(evidence.drills));
  const measured: Record<number, number> = {};
  // An outage of one service costs its own recovery time (the rest of the chain is still up).
  for (const step of order) if (step.ownMinutes !== null) measured[step.serviceId] = step.ownMinutes;
  return {
    order,
    readiness: assessReadiness(snapshot, evidence),
    impact: outageImpact(snapshot.services, measured),
    unprotected: unprotectedServices(snapshot),
    singlePoints: singlePointsOfFailure(snapshot),
  };
}

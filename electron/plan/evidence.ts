/**
 * Evidence beyond the inventory that readiness and the plan use: runbooks, drills and health. None
 * of those parts of Lifeboat exists yet, so every source is left out and readiness says so; each
 * issue that adds one fills its field in here and nowhere else.
 */
import type { ReadinessEvidence } from '../../shared/logic/readiness';
import type { ServiceContext } from '../services/context';

/** What the workspace knows about runbooks, drills and health, as of now. */
export function planEvidence(_ctx: ServiceContext, now: Date = new Date()): ReadinessEvidence {
  return { now: now.getTime() };
}

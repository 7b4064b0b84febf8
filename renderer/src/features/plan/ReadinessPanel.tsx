/** Readiness: the overall score, what to do next, and the parts of Lifeboat not set up yet. */
import type { PlanSummary } from '../../../../shared/contract/plan';
import { TierBadge } from '../../components/TierBadge';
import { formatCostPerHour } from '../../components/format';

type Readiness = PlanSummary['readiness'];

/** Gaps that are parts of Lifeboat not set up yet, by what is missing. */
const LATER: Record<string, string> = {
  runbooks_not_set_up: 'runbooks',
  drills_not_set_up: 'drills',
  health_not_monitored: 'health checks',
};

/** "good" from 80, "fair" from 50, else "poor". */
export function scoreLevel(score: number): 'good' | 'fair' | 'poor' {
  return score >= 80 ? 'good' : score >= 50 ? 'fair' : 'poor';
}

/** The score and the first `limit` things to fix, most business impact first. Usable on the Dashboard. */
export function ReadinessPanel({ readiness, limit = 8 }: { readiness: Readiness; limit?: number }) {
  const now = readiness.next.filter((a) => !(a.code in LATER));
  const later = readiness.next.filter((a) => a.code in LATER);
  return (
    <section aria-labelledby="readiness-title" className="panel" data-testid="readiness">
      <h2 id="readiness-title" className="panel-title">
        Readiness{' '}
        <span className={`readiness-score readiness-${scoreLevel(readiness.score)}`}>{readiness.score}/100</span>
      </h2>
      <p className="panel-description">
        Each service starts at 100 and loses points for each gap; critical services weigh most.
      </p>
      {now.length === 0 ? (
        <p className="all-good">Nothing to fix in the inventory.</p>
      ) : (
        <ol className="next-actions">
          {now.slice(0, limit).map((action) => (
            <li key={`${action.code}:${action.services.join(',')}`}>
              <div className="next-action-head">
                <TierBadge tier={action.tier} />
                <strong>{action.fix}</strong>
              </div>
              <div className="muted small">
                {action.text}
                {action.services.length > 0 && ` · ${action.services.join(', ')}`}
                {action.costPerHour > 0 && ` · ${formatCostPerHour(action.costPerHour)} at stake`}
              </div>
            </li>
          ))}
        </ol>
      )}
      {now.length > limit && <p className="muted small">…and {now.length - limit} more in the printed plan.</p>}
      {later.length > 0 && (
        <p className="muted small" data-testid="not-set-up">
          Not set up in Lifeboat yet, and counted as gaps until they are: {later.map((a) => LATER[a.code]).join(', ')}.
        </p>
      )}
    </section>
  );
}

/**
 * Readiness in a few lines, for the Dashboard: the score, the three fixes with the most business
 * impact, and a link to the Plan screen. Parts of Lifeboat not set up yet are left to the Plan screen.
 */
import type { PlanSummary } from '../../../../shared/contract/plan';
import { TierBadge } from '../../components/TierBadge';
import { scoreLevel } from './ReadinessPanel';

export interface ReadinessSummaryProps {
  /** `plan.summary`'s readiness (only the score and the "what to do next" list are read). */
  readiness: Pick<PlanSummary['readiness'], 'score' | 'next'>;
  /** How many fixes to list; 3 unless set. */
  limit?: number;
}

const NOT_SET_UP = new Set(['runbooks_not_set_up', 'drills_not_set_up', 'health_not_monitored']);

/** Score, top fixes, and "Open the plan" (location.hash = '#/plan'). */
export function ReadinessSummary({ readiness, limit = 3 }: ReadinessSummaryProps) {
  const fixes = readiness.next.filter((a) => !NOT_SET_UP.has(a.code)).slice(0, limit);
  return (
    <section
      className="panel readiness-summary"
      aria-labelledby="readiness-summary-title"
      data-testid="readiness-summary"
    >
      <h2 id="readiness-summary-title" className="panel-title">
        Readiness{' '}
        <span className={`readiness-score readiness-${scoreLevel(readiness.score)}`}>{readiness.score}/100</span>
      </h2>
      {fixes.length === 0 ? (
        <p className="all-good">Nothing to fix.</p>
      ) : (
        <ol className="next-actions">
          {fixes.map((action) => (
            <li key={`${action.code}:${action.services.join(',')}`}>
              <div className="next-action-head">
                <TierBadge tier={action.tier} />
                <strong>{action.fix}</strong>
              </div>
              {action.services.length > 0 && <div className="muted small">{action.services.join(', ')}</div>}
            </li>
          ))}
        </ol>
      )}
      {/* A plain hash link: it sets location.hash to '#/plan', which the console routes. */}
      <a href="#/plan" className="button button-small" data-testid="open-plan">
        Open the DR plan
      </a>
    </section>
  );
}

/** The recovery order, with the expected time to each service, and what an outage of each costs. */
import type { PlanSummary } from '../../../../shared/contract/plan';
import { describeExpected } from '../../../../shared/logic/recovery-order';
import { TierBadge } from '../../components/TierBadge';
import { formatMinutes } from '../../components/format';

/** Numbered steps: a service after everything it depends on, critical first where that allows. */
export function RecoveryOrderPanel({
  steps,
  targetMinutes,
}: {
  steps: PlanSummary['recoveryOrder'];
  targetMinutes: number | null;
}) {
  return (
    <section aria-labelledby="order-title" className="panel" data-testid="recovery-order">
      <h2 id="order-title" className="panel-title">
        Recovery order
      </h2>
      <p className="panel-description">
        A service comes back after everything it depends on. Expected times come from drills
        {targetMinutes !== null && `; the target is ${formatMinutes(targetMinutes)}`}.
      </p>
      {steps.length === 0 ? (
        <p className="muted">No services yet.</p>
      ) : (
        <ol className="recovery-order">
          {steps.map((step) => (
            <li key={step.serviceId}>
              <TierBadge tier={step.tier} /> <strong>{step.name}</strong>
              <span className="muted small">
                {' '}
                · back within {formatMinutes(step.rtoMinutes)}
                {step.after.length > 0 && ` · after ${step.after.join(', ')}`} · expected: {describeExpected(step)}
              </span>
              {step.withinRto === false && <span className="target-missed small"> slower than the RTO</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** What one outage of each service costs at its current recovery time. */
export function ImpactPanel({ impact }: { impact: PlanSummary['impact'] }) {
  const money = (n: number) => new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 }).format(n);
  return (
    <section aria-labelledby="impact-title" className="panel" data-testid="impact">
      <h2 id="impact-title" className="panel-title">
        Business impact
      </h2>
      <p className="panel-description">An outage stops the service and everything that depends on it.</p>
      {impact.services.length === 0 ? (
        <p className="muted">No services yet.</p>
      ) : (
        <table className="compact-table">
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col" className="numeric">
                Cost / hour, with what it stops
              </th>
              <th scope="col" className="numeric">
                Recovery time
              </th>
              <th scope="col" className="numeric">
                Cost of one outage
              </th>
            </tr>
          </thead>
          <tbody>
            {impact.services.map((row) => (
              <tr key={row.serviceId}>
                <th scope="row">
                  <TierBadge tier={row.tier} /> {row.name}
                  {row.alsoStops.length > 0 && (
                    <div className="muted small">
                      also stops {row.alsoStops.length === 1 ? row.alsoStops[0] : `${row.alsoStops.length} services`}
                    </div>
                  )}
                </th>
                <td className="numeric">{money(row.totalCostPerHour)}</td>
                <td className="numeric">
                  {formatMinutes(row.recoveryMinutes)}{' '}
                  <span className="muted small">({row.basis === 'drill' ? 'drilled' : 'RTO'})</span>
                </td>
                <td className="numeric">{money(row.expectedCost)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

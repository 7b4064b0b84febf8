/** Critical and important services against the turnaround the business asked for. */
import { useMemo } from 'react';
import type { Service } from '../../../../shared/domain';
import { TierBadge } from '../../components/TierBadge';
import { formatCostPerHour, formatMinutes } from '../../components/format';

/** A table of RTO, RPO and cost, with each RTO judged against the target (when one is set). */
export function RecoveryTargets({
  services,
  targetMinutes,
}: {
  services: readonly Service[];
  targetMinutes: number | null;
}) {
  const rows = useMemo(
    () =>
      services
        .filter((s) => s.tier !== 'routine')
        .sort(
          (a, b) =>
            (a.tier === b.tier ? 0 : a.tier === 'critical' ? -1 : 1) ||
            a.rtoMinutes - b.rtoMinutes ||
            a.name.localeCompare(b.name),
        ),
    [services],
  );
  return (
    <section aria-labelledby="targets-title" className="panel">
      <h2 id="targets-title" className="panel-title">
        Recovery objectives
      </h2>
      <p className="panel-description">
        {targetMinutes === null
          ? 'How long each service may be down, and how much data it may lose.'
          : `How long each service may be down, against the target of ${formatMinutes(targetMinutes)}.`}
      </p>
      {rows.length === 0 ? (
        <p className="muted">No critical or important services yet.</p>
      ) : (
        <table className="compact-table">
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col" className="numeric">
                RTO
              </th>
              <th scope="col" className="numeric">
                RPO
              </th>
              <th scope="col" className="numeric">
                Downtime cost
              </th>
              {targetMinutes !== null && <th scope="col">Target</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((service) => (
              <tr key={service.id}>
                <th scope="row">
                  <TierBadge tier={service.tier} /> {service.name}
                </th>
                <td className="numeric">{formatMinutes(service.rtoMinutes)}</td>
                <td className="numeric">{formatMinutes(service.rpoMinutes)}</td>
                <td className="numeric">{formatCostPerHour(service.costPerHour)}</td>
                {targetMinutes !== null &&
                  (service.rtoMinutes <= targetMinutes ? (
                    <td className="target-met">within</td>
                  ) : (
                    <td className="target-missed">{formatMinutes(service.rtoMinutes - targetMinutes)} over</td>
                  ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

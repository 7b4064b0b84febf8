/**
 * Business impact: what an hour of downtime costs, and what an outage of each service would cost at
 * its current recovery time, so the admin can show the owner what the money buys. An outage stops
 * the service and everything that depends on it, so the cost counts those too.
 */
import type { Service, Tier } from '../domain';
import { TIER_RANK } from './recovery-order';

export type ImpactService = Pick<Service, 'id' | 'name' | 'tier' | 'rtoMinutes' | 'costPerHour' | 'dependsOn'>;

/** Where a recovery time comes from: a drill measured it, or only the RTO promises it. */
export type RecoveryBasis = 'drill' | 'rto';

export interface OutageImpact {
  serviceId: number;
  name: string;
  tier: Tier;
  /** This service's own cost of downtime per hour; null when nobody has put a figure on it. */
  costPerHour: number | null;
  /** The services that stop with it (everything depending on it, directly or not). */
  alsoStops: string[];
  /** Cost per hour of this service and all it stops, counting only known figures. */
  totalCostPerHour: number;
  /** Services in that total with no cost figure. */
  costUnknown: string[];
  recoveryMinutes: number;
  basis: RecoveryBasis;
  /** totalCostPerHour × recoveryMinutes / 60. */
  expectedCost: number;
}

export interface ImpactSummary {
  services: OutageImpact[];
  /** Sum of every service's own known cost per hour: everything down at once. */
  costPerHourAll: number;
}

/**
 * The cost of an outage of each service, at its own measured recovery time (minutes by service id:
 * the recovery order's ownMinutes, from its last good drill) or else its RTO. Most urgent first.
 */
export function outageImpact(
  services: readonly ImpactService[],
  measuredMinutes: Readonly<Record<number, number>> = {},
): ImpactSummary {
  const byId = new Map(services.map((s) => [s.id, s]));
  const dependants = new Map<number, number[]>();
  for (const service of services) {
    for (const dependency of new Set(service.dependsOn)) {
      if (byId.has(dependency)) dependants.set(dependency, [...(dependants.get(dependency) ?? []), service.id]);
    }
  }
  const stoppedBy = (id: number): number[] => {
    const seen = new Set<number>([id]);
    const queue = [id];
    while (queue.length > 0) {
      for (const next of dependants.get(queue.shift()!) ?? []) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    seen.delete(id);
    return [...seen];
  };

  const impacts = services.map((service): OutageImpact => {
    const stopped = stoppedBy(service.id).map((id) => byId.get(id)!);
    const all = [service, ...stopped];
    const totalCostPerHour = all.reduce((sum, s) => sum + (s.costPerHour ?? 0), 0);
    const measured = measuredMinutes[service.id];
    const recoveryMinutes = measured ?? service.rtoMinutes;
    return {
      serviceId: service.id,
      name: service.name,
      tier: service.tier,
      costPerHour: service.costPerHour,
      alsoStops: stopped.map((s) => s.name).sort((a, b) => a.localeCompare(b, 'en')),
      totalCostPerHour,
      costUnknown: all.filter((s) => s.costPerHour === null).map((s) => s.name),
      recoveryMinutes,
      basis: measured === undefined ? 'rto' : 'drill',
      expectedCost: Math.round((totalCostPerHour * recoveryMinutes) / 60),
    };
  });
  impacts.sort(
    (a, b) =>
      TIER_RANK[a.tier] - TIER_RANK[b.tier] || b.expectedCost - a.expectedCost || a.name.localeCompare(b.name, 'en'),
  );
  return { services: impacts, costPerHourAll: services.reduce((sum, s) => sum + (s.costPerHour ?? 0), 0) };
}

/** A money figure without a currency symbol (the workspace does not record one): "12,500". */
export function formatMoney(amount: number): string {
  return String(Math.round(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

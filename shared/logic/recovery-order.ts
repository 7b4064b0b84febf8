/**
 * The order services come back in after a disaster: a service after everything it depends on, and
 * among those ready, critical before important before routine, then the shorter RTO, then the name.
 * A service is as urgent as the most urgent service that needs it: a routine dependency of a
 * critical service is pulled forward, ahead of unrelated important services.
 * The expected time to each service's recovery comes from drill figures where they exist.
 */
import type { Service, Tier } from '../domain';
import { LifeboatError } from '../errors';
import { findDependencyCycle } from './dependencies';

/** Tiers from most to least urgent. */
export const TIER_RANK: Record<Tier, number> = { critical: 0, important: 1, routine: 2 };

export type RecoveryService = Pick<Service, 'id' | 'name' | 'tier' | 'rtoMinutes' | 'dependsOn' | 'groupId'>;

/**
 * Minutes a drill took to bring something back: per service, or per service group (a group's
 * figure counts for every service it carries). A service's own figure wins over its group's.
 */
export interface MeasuredMinutes {
  services?: Readonly<Record<number, number>>;
  groups?: Readonly<Record<number, number>>;
}

export interface RecoveryStep {
  /** 1-based position in the order. */
  step: number;
  serviceId: number;
  name: string;
  tier: Tier;
  rtoMinutes: number;
  groupId: number | null;
  /** Names of the services that must be back first (its direct dependencies). */
  after: string[];
  /** Dependencies naming no service in the list; ignored for the order. */
  unknownDependencies: number[];
  /** Minutes this service's own recovery took in its last drill; null when never drilled. */
  ownMinutes: number | null;
  /**
   * Minutes from the start of recovery until this service is back, along its longest dependency
   * chain (independent services recover in parallel); null while any service on the chain has no
   * drill figure.
   */
  expectedMinutes: number | null;
  /** Services on the chain with no drill figure yet, this one included. */
  undrilled: string[];
  /** Whether the expected time is within the RTO; null when it is not known. */
  withinRto: boolean | null;
}

/** Compare two ready services: tier, then RTO, then name, then id for a stable result. */
export function compareUrgency(a: RecoveryService, b: RecoveryService): number {
  return (
    TIER_RANK[a.tier] - TIER_RANK[b.tier] ||
    a.rtoMinutes - b.rtoMinutes ||
    a.name.localeCompare(b.name, 'en') ||
    a.id - b.id
  );
}

/**
 * Each service with the tier and RTO of the most urgent service that needs it (itself included,
 * directly or through other services). `dependants` must be acyclic.
 */
function inheritedUrgency(
  services: readonly RecoveryService[],
  dependants: ReadonlyMap<number, readonly number[]>,
): Map<number, RecoveryService> {
  const byId = new Map(services.map((s) => [s.id, s]));
  const memo = new Map<number, { rank: number; rto: number }>();
  const urgency = (id: number): { rank: number; rto: number } => {
    const known = memo.get(id);
    if (known) return known;
    const self = byId.get(id)!;
    let best = { rank: TIER_RANK[self.tier], rto: self.rtoMinutes };
    for (const next of dependants.get(id) ?? []) {
      const other = urgency(next);
      if (other.rank < best.rank || (other.rank === best.rank && other.rto < best.rto)) best = other;
    }
    memo.set(id, best);
    return best;
  };
  const tierOf = Object.fromEntries(Object.entries(TIER_RANK).map(([tier, rank]) => [rank, tier as Tier]));
  return new Map(
    services.map((s) => [s.id, { ...s, tier: tierOf[urgency(s.id).rank], rtoMinutes: urgency(s.id).rto }]),
  );
}

/**
 * Services in recovery order with the expected time to each. Throws
 * LifeboatError('dependency_cycle') naming the services when they depend on each other in a circle.
 */
export function recoveryOrder(services: readonly RecoveryService[], measured: MeasuredMinutes = {}): RecoveryStep[] {
  const cycle = findDependencyCycle(services);
  if (cycle) {
    throw new LifeboatError(
      'dependency_cycle',
      `No recovery order exists: these services depend on each other in a circle: ${cycle.join(' → ')}`,
      [{ path: ['dependsOn'], message: cycle.join(' → ') }],
    );
  }
  const byId = new Map(services.map((s) => [s.id, s]));
  const knownDependencies = new Map(services.map((s) => [s.id, [...new Set(s.dependsOn)].filter((d) => byId.has(d))]));
  const waitingOn = new Map(services.map((s) => [s.id, knownDependencies.get(s.id)!.length]));
  const dependants = new Map<number, number[]>();
  for (const service of services) {
    for (const dependency of knownDependencies.get(service.id)!) {
      dependants.set(dependency, [...(dependants.get(dependency) ?? []), service.id]);
    }
  }

  const inherited = inheritedUrgency(services, dependants);
  const byUrgency = (a: RecoveryService, b: RecoveryService) =>
    compareUrgency(inherited.get(a.id)!, inherited.get(b.id)!) || compareUrgency(a, b);
  const ordered: RecoveryService[] = [];
  const ready = services.filter((s) => waitingOn.get(s.id) === 0);
  while (ready.length > 0) {
    ready.sort(byUrgency);
    const next = ready.shift()!;
    ordered.push(next);
    for (const id of dependants.get(next.id) ?? []) {
      const left = waitingOn.get(id)! - 1;
      waitingOn.set(id, left);
      if (left === 0) ready.push(byId.get(id)!);
    }
  }
  return timeSteps(ordered, knownDependencies, measured);
}

interface Chain {
  expected: number | null;
  undrilled: Set<string>;
  /** Groups already recovered somewhere on the chain: a group fails over once, not per service. */
  groups: Set<number>;
}

function timeSteps(
  ordered: RecoveryService[],
  dependencies: Map<number, number[]>,
  measured: MeasuredMinutes,
): RecoveryStep[] {
  const chains = new Map<number, Chain>();
  const names = new Map(ordered.map((s) => [s.id, s.name]));
  return ordered.map((service, index) => {
    const deps = dependencies.get(service.id)!;
    const depChains = deps.map((d) => chains.get(d)!);
    const serviceFigure = measured.services?.[service.id];
    const groupFigure = service.groupId === null ? undefined : measured.groups?.[service.groupId];
    const groups = new Set(depChains.flatMap((c) => [...c.groups]));
    const groupDoneEarlier = serviceFigure === undefined && service.groupId !== null && groups.has(service.groupId);
    const own = serviceFigure ?? groupFigure ?? null;
    if (service.groupId !== null) groups.add(service.groupId);

    const undrilled = new Set(depChains.flatMap((c) => [...c.undrilled]));
    if (own === null) undrilled.add(service.name);
    const start = Math.max(0, ...depChains.map((c) => c.expected ?? 0));
    const expected = undrilled.size > 0 ? null : start + (groupDoneEarlier ? 0 : own!);
    chains.set(service.id, { expected, undrilled, groups });

    return {
      step: index + 1,
      serviceId: service.id,
      name: service.name,
      tier: service.tier,
      rtoMinutes: service.rtoMinutes,
      groupId: service.groupId,
      after: deps.map((d) => names.get(d)!),
      unknownDependencies: [...new Set(service.dependsOn)].filter((d) => !names.has(d)),
      ownMinutes: own,
      expectedMinutes: expected,
      undrilled: [...undrilled].sort((a, b) => a.localeCompare(b, 'en')),
      withinRto: expected === null ? null : expected <= service.rtoMinutes,
    };
  });
}

/** How the plan and the screens print a step's expected time: "about 25 min (drilled)" or "no drill yet". */
export function describeExpected(step: Pick<RecoveryStep, 'expectedMinutes' | 'undrilled' | 'name'>): string {
  if (step.expectedMinutes !== null) return `about ${formatMinutes(step.expectedMinutes)} (from drills)`;
  const others = step.undrilled.filter((n) => n !== step.name);
  if (others.length === 0) return 'no drill yet';
  return `no drill yet (nor for ${others.join(', ')})`;
}

/** Minutes as people say them: "45 min", "4 h", "2 days", "1 h 30 min". */
export function formatMinutes(minutes: number): string {
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  if (m % 1440 === 0) return `${m / 1440} day${m === 1440 ? '' : 's'}`;
  const hours = Math.floor(m / 60);
  const rest = m % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/**
 * The whole-company recovery as groups: which service groups a recovery run takes, in what order,
 * and which run together. A group needs another when one of its services depends on a service of
 * the other (directly, or through services no group carries, such as hosted email). Its priority
 * is one more than the highest priority among the groups it needs: groups that need nothing come
 * first and run together; a group waits only for the groups it needs. Within a priority, groups
 * keep the computed recovery order of their services (recovery-order.ts).
 */
import type { Contact, Service, ServiceGroup } from '../domain';
import { LifeboatError } from '../errors';
import { findDependencyCycle } from './dependencies';
import { recoveryOrder } from './recovery-order';

export interface RecoveryGroupService {
  serviceId: number;
  name: string;
  rtoMinutes: number;
}

export interface RecoveryGroupOrder {
  groupId: number;
  groupName: string;
  /** 1 for groups that need nothing; a group runs after every group it needs. */
  priority: number;
  /** Groups of this recovery that must be back before this one changes anything. */
  needs: number[];
  /** Groups it needs that this recovery does not take (assumed running). */
  assumedRunning: number[];
  /** The services it carries, in recovery order. */
  services: RecoveryGroupService[];
  /** The tightest RTO among its services (null when it carries none). */
  rtoMinutes: number | null;
}

type OrderService = Pick<Service, 'id' | 'name' | 'tier' | 'rtoMinutes' | 'dependsOn' | 'groupId'>;
type OrderGroup = Pick<ServiceGroup, 'id' | 'name'>;

/** For each group, the other groups its services depend on (through ungrouped services too). */
export function groupNeeds(groups: readonly OrderGroup[], services: readonly OrderService[]): Map<number, Set<number>> {
  const byId = new Map(services.map((s) => [s.id, s]));
  const known = new Set(groups.map((g) => g.id));
  const needs = new Map(groups.map((g) => [g.id, new Set<number>()]));
  // The groups a service reaches: its own group, else (ungrouped) the groups its dependencies reach.
  const reached = (id: number, seen: Set<number>): number[] => {
    const service = byId.get(id);
    if (!service || seen.has(id)) return [];
    seen.add(id);
    if (service.groupId !== null && known.has(service.groupId)) return [service.groupId];
    return service.dependsOn.flatMap((d) => reached(d, seen));
  };
  for (const service of services) {
    if (service.groupId === null || !known.has(service.groupId)) continue;
    for (const dependency of service.dependsOn)
      for (const group of reached(dependency, new Set()))
        if (group !== service.groupId) needs.get(service.groupId)!.add(group);
  }
  return needs;
}

/**
 * The groups of a recovery run (all, or `chosen`) with their priorities, in order. Throws
 * LifeboatError('dependency_cycle') when groups need each other in a circle, and 'not_found' for
 * a chosen id that is not a group.
 */
export function groupRecoveryOrder(
  groups: readonly OrderGroup[],
  services: readonly OrderService[],
  chosen?: readonly number[],
): RecoveryGroupOrder[] {
  const taken = chosen === undefined ? groups : groups.filter((g) => chosen.includes(g.id));
  for (const id of chosen ?? [])
    if (!groups.some((g) => g.id === id)) throw new LifeboatError('not_found', `There is no service group #${id}`);
  const needs = groupNeeds(groups, services);
  const takenIds = new Set(taken.map((g) => g.id));
  const cycle = findDependencyCycle(
    taken.map((g) => ({ id: g.id, name: g.name, dependsOn: [...needs.get(g.id)!].filter((n) => takenIds.has(n)) })),
  );
  if (cycle)
    throw new LifeboatError(
      'dependency_cycle',
      `No recovery order exists: these groups need each other in a circle: ${cycle.join(' → ')}. Recover them one at a time.`,
    );
  // The position of each group's first service in the computed recovery order.
  const order = recoveryOrder(services);
  const position = new Map<number, number>();
  order.forEach((step, index) => {
    if (step.groupId !== null && !position.has(step.groupId)) position.set(step.groupId, index);
  });
  const priority = new Map<number, number>();
  const priorityOf = (id: number): number => {
    const known = priority.get(id);
    if (known !== undefined) return known;
    const inside = [...needs.get(id)!].filter((n) => takenIds.has(n));
    const value = 1 + Math.max(0, ...inside.map(priorityOf));
    priority.set(id, value);
    return value;
  };
  return taken
    .map((group) => {
      const own = order.filter((step) => step.groupId === group.id);
      return {
        groupId: group.id,
        groupName: group.name,
        priority: priorityOf(group.id),
        needs: [...needs.get(group.id)!].filter((n) => takenIds.has(n)).sort((a, b) => a - b),
        assumedRunning: [...needs.get(group.id)!].filter((n) => !takenIds.has(n)).sort((a, b) => a - b),
        services: own.map((s) => ({ serviceId: s.serviceId, name: s.name, rtoMinutes: s.rtoMinutes })),
        rtoMinutes: own.length > 0 ? Math.min(...own.map((s) => s.rtoMinutes)) : null,
      };
    })
    .sort(
      (a, b) =>
        a.priority - b.priority ||
        (position.get(a.groupId) ?? Infinity) - (position.get(b.groupId) ?? Infinity) ||
        a.groupName.localeCompare(b.groupName, 'en'),
    );
}

/**
 * Who does a manual step and how to reach them: the contact whose role names the step's role
 * (the lowest escalation order first), else the owner of one of the group's services.
 */
export function manualStepOwner(
  role: string,
  contacts: readonly Pick<Contact, 'id' | 'name' | 'role' | 'phones' | 'escalationOrder'>[],
  serviceOwnerIds: readonly number[],
): { name: string; phone: string } | null {
  const wanted = role.trim().toLowerCase();
  const byOrder = [...contacts].sort((a, b) => a.escalationOrder - b.escalationOrder);
  const matched =
    (wanted && byOrder.find((c) => c.role.toLowerCase().includes(wanted))) ||
    byOrder.find((c) => serviceOwnerIds.includes(c.id));
  return matched ? { name: matched.name, phone: matched.phones[0] ?? '' } : null;
}

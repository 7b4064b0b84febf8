/** Critical services that a single server can take down: the dependency chain holds a group with no standby. */
import type { Service, Snapshot } from '../domain';

export interface SinglePointCause {
  /** The service on the chain that cannot fail over (the critical service itself or a dependency). */
  serviceId: number;
  serviceName: string;
  /** Its group when the group has no standby member; null when it runs on no group at all. */
  groupId: number | null;
  /** The servers that would take it down: the group's members. */
  serverIds: number[];
}
export interface SinglePointOfFailure {
  serviceId: number;
  name: string;
  causes: SinglePointCause[];
}

/**
 * Critical services whose dependency chain (the service and everything it depends on) holds a
 * server with no standby: a group without a standby member, or an in-house service on no group.
 */
export function singlePointsOfFailure(snapshot: Pick<Snapshot, 'services' | 'groups'>): SinglePointOfFailure[] {
  const services = new Map(snapshot.services.map((s) => [s.id, s]));
  const groups = new Map(snapshot.groups.map((g) => [g.id, g]));
  const causeOf = (service: Service): SinglePointCause | null => {
    if (service.hostedBy.trim() !== '') return null;
    const group = service.groupId === null ? undefined : groups.get(service.groupId);
    if (!group) return { serviceId: service.id, serviceName: service.name, groupId: null, serverIds: [] };
    if (group.members.some((m) => m.role === 'standby')) return null;
    return {
      serviceId: service.id,
      serviceName: service.name,
      groupId: group.id,
      serverIds: group.members.map((m) => m.serverId),
    };
  };
  const out: SinglePointOfFailure[] = [];
  for (const service of snapshot.services) {
    if (service.tier !== 'critical') continue;
    const seen = new Set<number>();
    const causes: SinglePointCause[] = [];
    const walk = (id: number) => {
      const current = services.get(id);
      if (!current || seen.has(id)) return;
      seen.add(id);
      const cause = causeOf(current);
      if (cause) causes.push(cause);
      current.dependsOn.forEach(walk);
    };
    walk(service.id);
    if (causes.length > 0) out.push({ serviceId: service.id, name: service.name, causes });
  }
  return out;
}

/** What the Dashboard calls unprotected: a critical or important service that cannot fail over. */
import type { Snapshot, Tier } from '../domain';

export const PROTECTION_GAPS = ['no_group', 'no_standby', 'no_vip', 'no_contact'] as const;
export type ProtectionGap = (typeof PROTECTION_GAPS)[number];

export const GAP_TEXT: Record<ProtectionGap, string> = {
  no_group: 'runs on no service group (nothing can fail over)',
  no_standby: 'no standby server',
  no_vip: 'no virtual IP (clients would need reconfiguring)',
  no_contact: 'no owner or vendor contact',
};

export interface UnprotectedService {
  serviceId: number;
  name: string;
  tier: Tier;
  gaps: ProtectionGap[];
}

/** Services of the critical and important tiers with at least one gap, most critical first. */
export function unprotectedServices(snapshot: Pick<Snapshot, 'services' | 'groups'>): UnprotectedService[] {
  const groups = new Map(snapshot.groups.map((g) => [g.id, g]));
  const out: UnprotectedService[] = [];
  for (const service of snapshot.services) {
    if (service.tier === 'routine') continue;
    const gaps: ProtectionGap[] = [];
    const group = service.groupId === null ? undefined : groups.get(service.groupId);
    const hosted = service.hostedBy.trim() !== '';
    if (!hosted) {
      if (!group) gaps.push('no_group');
      else {
        if (!group.members.some((m) => m.role === 'standby')) gaps.push('no_standby');
        if (group.vips.length === 0) gaps.push('no_vip');
      }
    }
    if (service.ownerContactId === null) gaps.push('no_contact');
    if (gaps.length > 0) out.push({ serviceId: service.id, name: service.name, tier: service.tier, gaps });
  }
  const rank: Record<Tier, number> = { critical: 0, important: 1, routine: 2 };
  return out.sort((a, b) => rank[a.tier] - rank[b.tier] || a.name.localeCompare(b.name));
}

/** Number of services in each tier. */
export function countByTier(services: Snapshot['services']): Record<Tier, number> {
  const counts: Record<Tier, number> = { critical: 0, important: 0, routine: 0 };
  for (const s of services) counts[s.tier] += 1;
  return counts;
}

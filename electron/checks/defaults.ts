/**
 * The checks a service group implies: a VIP group gets VIP ownership, a PostgreSQL group roles and
 * lag, an rsync group freshness on each standby and drift between members, each process a service
 * check, and every member ssh, disk and load. Existing equivalent checks are not duplicated.
 */
import type { ServiceGroup } from '../../shared/domain';
import { CheckDraft, type Check } from '../../shared/checks';
import type { CheckToSave } from '../db/repositories/checks';
import type { Inventory } from './plan';

/** Two checks are the same when kind, scope and parameters match (names and schedules aside). */
export function checkIdentity(check: Pick<Check, 'kind' | 'groupId' | 'serverId' | 'params'>): string {
  const scopeGroup = check.serverId !== null ? null : check.groupId;
  const sorted = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(sorted) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).sort().map(([k, v]) => [k, sorted(v)])) : value;
  return JSON.stringify([check.kind, scopeGroup, check.serverId, sorted(check.params)]);
}

function draft(input: Record<string, unknown>): CheckToSave {
  return CheckDraft.parse(input) as CheckToSave;
}

/** The default checks of one group, as drafts (not saved). */
export function defaultChecksFor(group: ServiceGroup, inventory: Inventory): CheckToSave[] {
  const drafts: CheckToSave[] = [];
  const name = (text: string) => `${group.name}: ${text}`.slice(0, 80);
  const server = (id: number) => inventory.servers.get(id);
  if (group.vips.length > 0) {
    drafts.push(draft({ kind: 'vip', name: name('VIP ownership'), groupId: group.id, params: {}, intervalSeconds: 30, retries: 1 }));
  }
  const data = group.data;
  if (data.kind === 'postgres' && group.members.length > 0) {
    drafts.push(draft({ kind: 'postgres', name: name('PostgreSQL roles and lag'), groupId: group.id, params: {}, intervalSeconds: 30 }));
  }
  if (data.kind === 'rsync') {
    for (const member of group.members.filter((m) => m.role === 'standby')) {
      for (const path of data.paths) {
        const host = server(member.serverId)?.name ?? `server ${member.serverId}`;
        drafts.push(draft({ kind: 'freshness', name: name(`${path} fresh on ${host}`), groupId: group.id, serverId: member.serverId, params: { path }, intervalSeconds: 300 }));
      }
    }
    if (group.members.length >= 2) {
      drafts.push(draft({ kind: 'drift', name: name(`drift of ${data.paths.join(', ')}`), groupId: group.id, params: { paths: data.paths }, intervalSeconds: 300 }));
    }
  }
  if (data.kind === 'backup-restore') {
    const primary = group.members.find((m) => m.role === 'primary') ?? group.members[0];
    if (primary) drafts.push(draft({ kind: 'freshness', name: name('backup freshness'), groupId: group.id, serverId: primary.serverId, params: { path: data.backupPath }, intervalSeconds: 300 }));
  }
  for (const unit of group.processes) {
    drafts.push(draft({ kind: 'service', name: name(`${unit} running`), groupId: group.id, params: { unit }, intervalSeconds: 60 }));
  }
  for (const member of group.members) {
    const host = server(member.serverId);
    if (!host) continue;
    drafts.push(draft({ kind: 'ssh', name: `${host.name}: SSH`, groupId: group.id, serverId: host.id, params: {}, intervalSeconds: 30 }));
    drafts.push(draft({ kind: 'disk', name: `${host.name}: disk /`, groupId: group.id, serverId: host.id, params: {}, intervalSeconds: 120 }));
    drafts.push(draft({ kind: 'load', name: `${host.name}: load`, groupId: group.id, serverId: host.id, params: {}, intervalSeconds: 60 }));
  }
  return drafts;
}

/** Default checks for every group (or one), minus those already there. */
export function missingDefaults(inventory: Inventory, existing: readonly Check[], groupId?: number): { drafts: CheckToSave[]; existing: number } {
  const known = new Set(existing.map(checkIdentity));
  const groups = [...inventory.groups.values()].filter((g) => groupId === undefined || g.id === groupId);
  const drafts: CheckToSave[] = [];
  let already = 0;
  for (const group of groups) {
    for (const candidate of defaultChecksFor(group, inventory)) {
      const identity = checkIdentity(candidate);
      if (known.has(identity)) {
        already++;
        continue;
      }
      known.add(identity);
      drafts.push(candidate);
    }
  }
  return { drafts, existing: already };
}

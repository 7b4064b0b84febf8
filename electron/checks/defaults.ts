/**
 * The checks a service group implies: each kind's module says which of its own (a VIP group gets
 * VIP ownership, a PostgreSQL group roles and lag, every member ssh, disk and load…). Existing
 * equivalent checks are not duplicated.
 */
import type { ServiceGroup } from '../../shared/domain';
import { CheckDraft, type Check } from '../../shared/checks';
import type { CheckToSave } from '../db/repositories/checks';
import type { Inventory } from './kind';
import { CHECK_KIND_LIST } from './kinds';

/** Two checks are the same when kind, scope and parameters match (names and schedules aside). */
export function checkIdentity(check: Pick<Check, 'kind' | 'groupId' | 'serverId' | 'params'>): string {
  const scopeGroup = check.serverId !== null ? null : check.groupId;
  const sorted = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sorted)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .sort()
              .map(([k, v]) => [k, sorted(v)]),
          )
        : value;
  return JSON.stringify([check.kind, scopeGroup, check.serverId, sorted(check.params)]);
}

/** The default checks of one group, as drafts (not saved). */
export function defaultChecksFor(group: ServiceGroup, inventory: Inventory): CheckToSave[] {
  return CHECK_KIND_LIST.flatMap((module) =>
    (module.defaults?.(group, inventory) ?? []).map(
      (implied) => CheckDraft.parse({ params: {}, ...implied, kind: module.kind, groupId: group.id }) as CheckToSave,
    ),
  );
}

/** Default checks for every group (or one), minus those already there. */
export function missingDefaults(
  inventory: Inventory,
  existing: readonly Check[],
  groupId?: number,
): { drafts: CheckToSave[]; existing: number } {
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

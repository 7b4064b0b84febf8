/**
 * Turning check definitions into what a sweep runs: the targets resolved, each remote script built
 * once (from validated values), the service an alert names. Done when definitions change, not on
 * every sweep.
 */
import type { Db } from '../db/connection';
import type { Server, Service } from '../../shared/domain';
import { TIERS } from '../../shared/domain';
import type { Check } from '../../shared/checks';
import { listServers } from '../db/repositories/servers';
import { listGroups } from '../db/repositories/groups';
import { listServices } from '../db/repositories/services';
import { sameAddress } from './addresses';
import type { CheckContext, CheckKindModule, Inventory, ServiceRef } from './kind';
import { moduleOf } from './kinds';

export type { Inventory } from './kind';

/** Read the servers, groups and services checks are planned against. */
export function loadInventory(db: Db): Inventory {
  return {
    servers: new Map(listServers(db).map((s) => [s.id, s])),
    groups: new Map(listGroups(db).map((g) => [g.id, g])),
    services: listServices(db),
  };
}

/** A check ready to run. */
export interface PlannedCheck {
  check: Check;
  ctx: CheckContext;
  module: CheckKindModule;
  targets: Server[];
  /** One script per target, in order. */
  scripts: string[];
  /** Why it cannot run as defined (reported `unknown`), or null. */
  problem: string | null;
  /** Servers it cannot be judged without: when one is down, the host's alert stands for this one. */
  dependsOn: number[];
}

const tierRank = (service: Service) => TIERS.indexOf(service.tier);

/** The most important service of a list: highest tier, then the shortest RTO. */
function mostImportant(services: Service[]): Service | undefined {
  return [...services].sort(
    (a, b) => tierRank(a) - tierRank(b) || a.rtoMinutes - b.rtoMinutes || a.name.localeCompare(b.name),
  )[0];
}

/**
 * The service an alert names: the check's own, else the most important one of its group, else of
 * the groups its server belongs to. RPO is the strictest among the group's services.
 */
export function resolveService(check: Check, inventory: Inventory): ServiceRef | null {
  const ref = (service: Service | undefined, peers: Service[] = service ? [service] : []): ServiceRef | null => {
    if (!service) return null;
    const rpos = peers.map((s) => s.rpoMinutes).filter((r): r is number => r !== null);
    return {
      id: service.id,
      name: service.name,
      tier: service.tier,
      rtoMinutes: service.rtoMinutes,
      rpoMinutes: rpos.length ? Math.min(...rpos) : null,
    };
  };
  if (check.serviceId !== null) return ref(inventory.services.find((s) => s.id === check.serviceId));
  const groupIds =
    check.groupId !== null
      ? [check.groupId]
      : [...inventory.groups.values()]
          .filter((g) => g.members.some((m) => m.serverId === check.serverId))
          .map((g) => g.id);
  const services = inventory.services.filter((s) => s.groupId !== null && groupIds.includes(s.groupId));
  return ref(mostImportant(services), services);
}

/** Servers a check leans on: its targets, and the server a probe is aimed at (the kind says which). */
function dependencies(check: Check, module: CheckKindModule, targets: Server[], inventory: Inventory): number[] {
  const ids = new Set(targets.map((t) => t.id));
  const aimedAt = module.aimsAt?.(check.params);
  if (aimedAt) {
    for (const server of inventory.servers.values()) {
      if (server.ssh.host === aimedAt || server.addresses.some((a) => sameAddress(a, aimedAt))) ids.add(server.id);
    }
  }
  return [...ids];
}

/** Plan one check; never throws (a broken definition becomes a problem to report). */
export function planCheck(check: Check, inventory: Inventory): PlannedCheck {
  const module = moduleOf(check.kind);
  const group = check.groupId === null ? null : (inventory.groups.get(check.groupId) ?? null);
  const ctx: CheckContext = { check, group, servers: inventory.servers, service: resolveService(check, inventory) };
  const planned: PlannedCheck = { check, ctx, module, targets: [], scripts: [], problem: null, dependsOn: [] };
  try {
    if (check.groupId !== null && !group) throw new Error('its service group no longer exists');
    planned.targets = module.targets(ctx);
    if (planned.targets.length === 0)
      throw new Error(check.serverId !== null ? 'its server no longer exists' : 'its group has no members');
    planned.scripts = planned.targets.map((server) => module.script(check.params as never, server, ctx).text);
    planned.dependsOn = dependencies(check, module, planned.targets, inventory);
  } catch (error) {
    planned.problem = `this check cannot run as defined: ${(error as Error).message}`;
    planned.targets = [];
    planned.scripts = [];
  }
  return planned;
}

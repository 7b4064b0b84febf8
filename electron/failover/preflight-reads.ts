/**
 * What the pre-flight reads on each member and how it judges what came back: the OS against the
 * inventory, every VIP interface the group or the runbook uses (exists and UP), PostgreSQL (a
 * cluster in the data directory, pg_ctl of its version, and an answer or a proven stop), and the
 * units the run will stop, start or wait on (they must exist). Whatever could not be read blocks,
 * named with the reason: unknown is not success.
 */
import type { Server } from '../../shared/domain';
import type { PreflightCheck } from '../../shared/contract/failover';
import type { Runbook } from '../../shared/runbooks';
import type { GroupContext } from './definition';
import { UNAME, type MemberFacts, type ReadRequest } from './member-read';
import type { PostgresAccess } from './actions/postgres-scripts';

function add<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key) ?? new Set<V>();
  set.add(value);
  map.set(key, set);
}

/** The interfaces each member must have UP: the group's VIP interfaces and those the runbook's VIP steps name. */
export function interfacesToCheck(context: GroupContext, runbook: Runbook): Map<number, Set<string>> {
  const found = new Map<number, Set<string>>();
  for (const vip of context.group.vips) for (const itf of vip.interfaces) add(found, itf.serverId, itf.interface);
  for (const step of runbook.steps) {
    if (step.type !== 'action') continue;
    if (step.action.kind === 'vip.acquire' || step.action.kind === 'vip.release')
      add(found, step.serverId, step.action.params.interface);
  }
  return found;
}

/** The units each member must have: the group's processes on the target, and every unit a step stops, starts, waits on or fences with. */
export function unitsToCheck(context: GroupContext, runbook: Runbook): Map<number, Set<string>> {
  const found = new Map<number, Set<string>>();
  for (const unit of context.group.processes) add(found, runbook.targetServerId, unit);
  for (const step of runbook.steps) {
    if (step.type !== 'action') continue;
    const { action } = step;
    if (action.kind === 'service.stop' || action.kind === 'service.start' || action.kind === 'service.restart')
      add(found, step.serverId, action.params.unit);
    if (action.kind === 'wait.check' && action.params.check.probe === 'service-active')
      add(found, step.serverId, action.params.check.unit);
    if (
      action.kind === 'postgres.promote' &&
      action.params.fence.kind === 'service' &&
      action.params.fenceServerId !== null
    )
      add(found, action.params.fenceServerId, action.params.fence.unit);
  }
  return found;
}

/** The read each member gets. */
export function readRequest(
  serverId: number,
  pg: PostgresAccess | null,
  interfaces: Map<number, Set<string>>,
  units: Map<number, Set<string>>,
): ReadRequest {
  return { links: (interfaces.get(serverId)?.size ?? 0) > 0, pg, units: [...(units.get(serverId) ?? [])] };
}

export interface ReadMember {
  server: Server;
  facts: MemberFacts;
}

/** The checks on what the reachable members' reads proved (or could not). */
export function factChecks(
  read: readonly ReadMember[],
  interfaces: Map<number, Set<string>>,
  units: Map<number, Set<string>>,
): PreflightCheck[] {
  const checks: PreflightCheck[] = [];
  for (const { server, facts } of read) {
    const host = server.name;
    const expected = UNAME[server.os];
    if (!facts.os.ok) checks.push({ name: `OS of ${host}`, status: 'block', detail: `${host}: ${facts.os.why}` });
    else if (facts.os.value !== expected) {
      checks.push({
        name: `OS of ${host}`,
        status: 'block',
        detail: `the inventory says ${host} runs ${server.os}, but it answers "${facts.os.value}" to uname -s: correct the server's OS in the inventory first (every command is built for it)`,
      });
    }
    const wanted = [...(interfaces.get(server.id) ?? [])];
    if (wanted.length > 0 && facts.links) {
      if (!facts.links.ok)
        checks.push({ name: `interfaces of ${host}`, status: 'block', detail: `${host}: ${facts.links.why}` });
      else {
        const links = facts.links.value;
        for (const itf of wanted) {
          const link = links.find((l) => l.interface === itf);
          if (!link)
            checks.push({
              name: `interface ${itf} on ${host}`,
              status: 'block',
              detail: `${host} has no interface ${itf} (it has ${links.map((l) => l.interface).join(', ')}): correct the VIP's interface for ${host} before anything is released`,
            });
          else if (!link.up)
            checks.push({
              name: `interface ${itf} on ${host}`,
              status: 'block',
              detail: `${itf} on ${host} is down: bring it up first, or the address would be moved onto a dead link`,
            });
          else if (!link.carrier)
            checks.push({
              name: `interface ${itf} on ${host}`,
              status: 'block',
              detail: `${itf} on ${host} is up but has no carrier (no link): check the cable or switch port first`,
            });
        }
      }
    }
    if (facts.postgres && !facts.postgres.ok)
      checks.push({ name: `PostgreSQL on ${host}`, status: 'block', detail: `${host}: ${facts.postgres.why}` });
    const unitList = [...(units.get(server.id) ?? [])];
    if (unitList.length > 0 && facts.units) {
      if (!facts.units.ok)
        checks.push({ name: `units on ${host}`, status: 'block', detail: `${host}: ${facts.units.why}` });
      else {
        for (const unit of unitList) {
          const state = facts.units.value.get(unit);
          if (state !== 'loaded')
            checks.push({
              name: `unit ${unit} on ${host}`,
              status: 'block',
              detail: `${unit} does not exist on ${host} (LoadState ${state ?? 'unknown'}): install it, or correct the unit name in the group's processes or the runbook`,
            });
        }
      }
    }
  }
  return checks;
}

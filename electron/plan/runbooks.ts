/**
 * The runbooks the failover engine would run, as the plan prints them: for each group, the move to
 * each standby and the switchback to the primary (or, for a group of one member, its recovery in
 * place), each step with its exact scripts per host from
 * the engine's own plan builder (electron/failover/plan.ts). Secrets are redacted on the way out.
 */
import type { Db } from '../db/connection';
import type { Server } from '../../shared/domain';
import type { Plan } from '../../shared/contract/failover';
import { listServers } from '../db/repositories/servers';
import { resolveRunbook } from '../failover/definition';
import { buildPlan } from '../failover/plan';
import { groupContexts } from './group-contexts';
import { redactSecrets } from '../../shared/redact';

export interface PrintedCommand {
  /** Server name, and the address to log in to. */
  host: string;
  address: string;
  purpose: string;
  script: string;
  readOnly: boolean;
}
export interface PrintedStep {
  title: string;
  manual: boolean;
  /** Who does a manual step; empty for scripted steps (the technician). */
  role: string;
  expectedMinutes: number | null;
  description: string;
  commands: PrintedCommand[];
}
export interface PrintedRunbook {
  direction: 'failover' | 'switchback' | 'reprotect';
  from: string;
  to: string;
  /** Saved in the workspace, as opposed to the default generated from the group's definition. */
  saved: boolean;
  steps: PrintedStep[];
}
/** A group's runbooks, or why the engine has none for it. */
export interface GroupRunbooks {
  runbooks: PrintedRunbook[];
  problem: string | null;
}

/** Every secret-looking path the inventory knows: SSH key files. */
export function inventoryKeyPaths(servers: Iterable<Server>): string[] {
  return [...servers].flatMap((s) => (s.ssh.auth.kind === 'key' ? [s.ssh.auth.keyPath] : []));
}

/** A built plan as printed: scripts redacted, hosts named with their login address. */
export function printedRunbook(
  plan: Plan,
  servers: ReadonlyMap<number, Server>,
  keyPaths: readonly string[],
  saved: boolean,
): PrintedRunbook {
  const name = (id: number) => servers.get(id)?.name ?? `server ${id}`;
  return {
    direction: plan.direction,
    from: name(plan.sourceServerId),
    to: name(plan.targetServerId),
    saved,
    steps: plan.steps.map((step) => ({
      title: step.title,
      manual: step.type === 'manual',
      role: step.role,
      expectedMinutes: step.expectedMinutes,
      description: redactSecrets(step.description, keyPaths),
      commands: step.commands.map((c) => ({
        host: c.host,
        address: servers.get(c.serverId)?.ssh.host ?? '',
        purpose: redactSecrets(c.purpose, keyPaths),
        script: redactSecrets(c.script, keyPaths),
        readOnly: c.readOnly,
      })),
    })),
  };
}

/** The engine's runbooks of every group it can move or recover, by group id. */
export function engineRunbooks(db: Db): Map<number, GroupRunbooks> {
  const out = new Map<number, GroupRunbooks>();
  const keyPaths = inventoryKeyPaths(listServers(db));
  for (const context of groupContexts(db)) {
    const { group } = context;
    // One member (vendor hardware): the engine's runbook recovers it in place. Otherwise the move to
    // each standby, then the switchback to the primary.
    const primary = group.members.find((m) => m.role === 'primary');
    const standbys = group.members.filter((m) => m.role === 'standby');
    const targets =
      group.members.length === 1
        ? [group.members[0].serverId]
        : primary && standbys.length > 0
          ? [...standbys.map((m) => m.serverId), primary.serverId]
          : [];
    if (targets.length === 0) continue;
    try {
      const runbooks = targets.map((target) => {
        const runbook = resolveRunbook(db, context, target);
        return printedRunbook(buildPlan(context, runbook), context.servers, keyPaths, runbook.id !== null);
      });
      out.set(group.id, { runbooks, problem: null });
    } catch (error) {
      out.set(group.id, { runbooks: [], problem: (error as Error).message });
    }
  }
  return out;
}

/**
 * Every change to the workspace goes into the audit log, not only failovers (docs/safety.md): the
 * inventory (servers, services, groups, contacts, sites), runbooks, checks, imports, host keys
 * trusted and forgotten, passwords stored and cleared (never the secret: only whose), settings.
 * Each mutating service function is wrapped once here; the row says who changed what, after the
 * change committed. Methods that write their own, richer rows (a run's start, answers, closing,
 * breaking locks) are left to them.
 */
import type { Db } from '../db/connection';
import { methods, type MethodName } from '../../shared/contract';
import { printable } from '../../shared/validation';
import { appendAudit, currentActor } from '../failover/audit';
import { entityNameById, type NamedTable } from '../db/repositories/inventory';
import type { Handler, Handlers } from './handler-types';

/** Audited by their own code, with the run and the typed confirmation. */
const SELF_AUDITED: ReadonlySet<MethodName> = new Set<MethodName>([
  'failover.start',
  'failover.respond',
  'recovery.start',
  'runs.close',
  'runs.breakLock',
  'runs.breakHostLock',
]);

/** The table holding an entity's name, for the rows of deletions. */
const NAME_TABLES: Record<string, NamedTable | 'checks'> = {
  sites: 'sites',
  servers: 'servers',
  services: 'services',
  groups: 'service_groups',
  contacts: 'contacts',
  checks: 'checks',
};

type Loose = Record<string, unknown>;

function nameOf(db: Db, area: string, id: unknown): string {
  const table = NAME_TABLES[area];
  if (!table || typeof id !== 'number') return '';
  try {
    const name = entityNameById(db, table, id);
    return name === undefined ? '' : ` "${printable(String(name)).slice(0, 120)}"`;
  } catch {
    return '';
  }
}

const entity = (area: string) => (area.endsWith('s') ? area.slice(0, -1) : area);
const keys = (value: unknown) => (value && typeof value === 'object' ? Object.keys(value).join(', ') : '');

/** One line saying what changed, from the input and the result; never a secret's value. */
export function describeChange(method: MethodName, input: Loose, output: unknown, before: string): string {
  const out = (output ?? {}) as Loose;
  const [area, verb] = method.split('.');
  const id = typeof out.id === 'number' ? out.id : input.id;
  const named = typeof out.name === 'string' ? ` "${printable(out.name).slice(0, 120)}"` : before;
  switch (method) {
    case 'workspace.create':
      return `created the workspace from the ${String(input.template)} template (its content was replaced)`;
    case 'workspace.importPlan':
      return `imported a plan file (the workspace was replaced): ${Object.entries(out)
        .filter(([, v]) => typeof v === 'number')
        .map(([k, v]) => `${String(v)} ${k}`)
        .join(', ')}`;
    case 'settings.save':
      return `saved the settings (${keys(input)})`;
    case 'alerts.settings.save':
      return `saved the alert settings (${keys(input)})`;
    case 'alerts.ack':
      return `acknowledged alert #${String(input.id)} "${printable(String(out.title ?? '')).slice(0, 160)}"${input.note ? `: ${printable(String(input.note)).slice(0, 200)}` : ''}`;
    case 'alerts.smtpPassword.set':
      return `stored the SMTP password for alert mail in ${printable(String(out.where ?? ''))}; the password itself is not recorded`;
    case 'alerts.smtpPassword.clear':
      return 'cleared the SMTP password for alert mail';
    case 'alerts.webhooks.save':
      return `${input.id === undefined ? 'added' : 'updated'} the ${printable(String(out.format ?? ''))} webhook channel "${printable(String(out.name ?? '')).slice(0, 80)}" (#${String(out.id)}) to ${printable(String(out.target ?? ''))}${input.url !== undefined ? ' (new URL, not recorded)' : ''}`;
    case 'alerts.routes.save':
      return `set the alert routes of ${Array.isArray(input.routes) ? input.routes.length : 0} contact(s)`;
    case 'maintenance.plan':
    case 'maintenance.silence':
      return `${method === 'maintenance.plan' ? 'planned maintenance' : 'silenced alerts'} of ${out.groupId === null ? 'every group' : `group #${String(out.groupId)}`} from ${new Date(Number(out.startsAt)).toISOString()} to ${new Date(Number(out.endsAt)).toISOString()}: ${printable(String(out.reason ?? '')).slice(0, 200)}`;
    case 'maintenance.end':
      return `ended maintenance window #${String(input.id)}`;
    case 'monitoring.set':
      return `set monitoring (${keys(input)}): ${printable(JSON.stringify(input)).slice(0, 200)}`;
    case 'drills.setMaxAge':
      return `set the drill age limit to ${String(input.days)} days`;
    case 'plan.export':
      return `exported the plan (${String(input.format)}) as revision ${String(out.revision)}`;
    case 'checks.generateDefaults':
      return `generated the default checks${Array.isArray(output) ? ` (${output.length})` : ''}`;
    case 'hosts.trust':
      return `trusted the ${printable(String(input.keyType))} host key ${printable(String(input.fingerprint))} of server #${String(input.serverId)}${typeof out.host === 'string' ? ` (${printable(out.host)}:${String(out.port)})` : ''}`;
    case 'hosts.forget':
      return `forgot ${String(out.forgotten)} pinned host key(s) of server #${String(input.serverId)} (${printable(String(out.host))}:${String(out.port)})`;
    case 'hosts.setPassword':
      return `stored the SSH password for ${printable(String(out.account))} (server #${String(input.serverId)}); the password itself is not recorded`;
    case 'hosts.clearPassword':
      return `cleared the SSH password for ${printable(String(out.account))} (server #${String(input.serverId)})`;
    case 'servers.importSshConfig':
      return `imported servers from an SSH config: ${Array.isArray(out.saved) ? (out.saved as Loose[]).map((s) => printable(String(s.name))).join(', ') : ''}`;
    case 'recovery.test':
      return `ran a test recovery (read-only): ${Array.isArray(out.groups) ? (out.groups as Loose[]).map((g) => `${printable(String(g.groupName))} ${g.passed ? 'passed' : 'broken'}`).join(', ') : ''}`;
    case 'recovery.setTestSettings':
      return `set the test recovery to every ${String(input.intervalDays)} days, clock tolerance ${String(input.clockToleranceMs)} ms`;
    case 'sync.install':
      return `installed the scheduled sync of group #${String(input.groupId)} (files sha256 ${printable(String(input.sha256)).slice(0, 12)})`;
    case 'sync.remove':
      return `removed the scheduled sync of group #${String(input.groupId)}`;
    case 'runbooks.save':
      return `saved the runbook of group #${String(input.groupId)} to server #${String(input.targetServerId)} (${Array.isArray(input.steps) ? input.steps.length : 0} steps)`;
    default:
      if (verb === 'delete') return `deleted ${entity(area)} #${String(input.id)}${before}`;
      if (verb === 'save')
        return `${input.id === undefined ? 'created' : 'updated'} ${entity(area)}${named} (#${String(id)})`;
      return `${method}${named}`;
  }
}

/** Wrap every mutating service function so that a successful change writes one audit row. */
export function auditChanges(handlers: Handlers): Handlers {
  const wrapped: Partial<Record<MethodName, Handler<MethodName>>> = {};
  for (const name of Object.keys(handlers) as MethodName[]) {
    const inner = handlers[name] as Handler<MethodName>;
    if (!methods[name].mutates || SELF_AUDITED.has(name)) {
      wrapped[name] = inner;
      continue;
    }
    wrapped[name] = async (ctx, input) => {
      const loose = (input ?? {}) as Loose;
      const [area, verb] = name.split('.');
      const before = verb === 'delete' ? nameOf(ctx.db, area, loose.id) : '';
      const output = await inner(ctx, input);
      appendAudit(ctx.db, {
        kind: 'change',
        actor: currentActor(),
        detail: describeChange(name, loose, output, before),
      });
      return output;
    };
  }
  return wrapped as Handlers;
}

/**
 * How a test recovery judges what it read, per direction: each precondition of the runbook's steps
 * as ok, failed, unknown (a failure: unknown is not success) or skipped with why. A check that
 * depends on another that failed (the units of a host nobody could log in to, replication where
 * pg_ctl is missing, the listening on an interface that is down) is skipped, not failed, so a
 * broken precondition is named once, exactly.
 */
import type { Server } from '../../shared/domain';
import type { Runbook } from '../../shared/runbooks';
import type { Precondition, TestRecoveryCheck, TestRecoveryStep } from '../../shared/contract/test-recovery';
import { sshFailureWords } from '../../shared/ssh-status';
import { outcomeText } from './actions/kit';
import { ENABLED_STATES, type TestMemberRead } from './test-recovery-reads';

export type Checks = TestRecoveryCheck[];

const check = (
  precondition: Precondition,
  subject: string,
  status: TestRecoveryCheck['status'],
  detail: string,
): TestRecoveryCheck => ({
  precondition,
  subject,
  status,
  detail,
});

/** Whether a member could be read at all; when not, the check that says why. */
export function loginCheck(read: TestMemberRead): TestRecoveryCheck {
  const { server, outcome, banner } = read;
  const name = server.name;
  if (banner && !banner.ok) return check('login', name, 'failed', `${name}: ${banner.why}`);
  if (outcome.kind === 'unreachable')
    return check(
      'login',
      name,
      outcome.cause === 'unknown' ? 'unknown' : 'failed',
      `${sshFailureWords(outcome.cause, name)}: ${outcome.detail}`,
    );
  if (outcome.kind === 'host-key') return check('login', name, 'failed', `${name}: ${outcomeText(outcome)}`);
  if (outcome.kind === 'indeterminate')
    return check('login', name, 'unknown', `the read of ${name} did not finish: ${outcomeText(outcome)}`);
  if (outcome.kind === 'failed' || !read.facts)
    return check('login', name, 'unknown', `the read of ${name} exited ${outcome.result.code}`);
  return check('login', name, 'ok', `logged in${banner ? ` (${banner.value})` : ''}`);
}

/** The clock of a member that was read, against the tolerance. */
export function clockCheck(read: TestMemberRead, toleranceMs: number): TestRecoveryCheck {
  const name = read.server.name;
  const clock = read.facts?.clock;
  if (!clock) return check('clock', name, 'skipped', `${name} could not be read`);
  if (!clock.ok) return check('clock', name, 'unknown', `${name}: ${clock.why}`);
  const { low, high } = clock.value;
  const estimate = Math.round((low + high) / 2);
  const least = low > 0 ? low : high < 0 ? -high : 0;
  const most = Math.max(Math.abs(low), Math.abs(high));
  const said = `${Math.abs(estimate)} ms ${estimate >= 0 ? 'ahead of' : 'behind'} Lifeboat's clock (± ${Math.round((high - low) / 2)} ms)`;
  if (least > toleranceMs) return check('clock', name, 'failed', `${name} is ${said}: more than ${toleranceMs} ms`);
  if (most > toleranceMs)
    return check('clock', name, 'unknown', `cannot tell whether ${name} is within ${toleranceMs} ms: ${said}`);
  return check('clock', name, 'ok', `${said}, within ${toleranceMs} ms`);
}

/** Units: each must exist where a step uses it, and the ones started on the target must be enabled. */
export function unitChecks(
  read: TestMemberRead,
  units: readonly string[],
  mustBeEnabled: readonly string[],
): TestRecoveryCheck[] {
  const name = read.server.name;
  const facts = read.facts;
  if (units.length === 0) return [];
  if (!facts) return [check('unit', name, 'skipped', `${name} could not be read`)];
  if (!facts.units?.ok) return [check('unit', name, 'unknown', `${name}: ${facts.units?.why ?? 'units not read'}`)];
  const out: TestRecoveryCheck[] = [];
  for (const unit of units) {
    const load = facts.units.value.get(unit);
    if (load !== 'loaded') {
      out.push(check('unit', `${unit} on ${name}`, 'failed', `${unit} does not exist on ${name} (LoadState ${load})`));
      continue;
    }
    if (!mustBeEnabled.includes(unit)) {
      out.push(check('unit', `${unit} on ${name}`, 'ok', `${unit} exists`));
      continue;
    }
    if (!facts.enabled?.ok) {
      out.push(check('unit', `${unit} on ${name}`, 'unknown', `${name}: ${facts.enabled?.why ?? 'not read'}`));
      continue;
    }
    const state = facts.enabled.value.get(unit) ?? '';
    out.push(
      ENABLED_STATES.includes(state)
        ? check('unit', `${unit} on ${name}`, 'ok', `${unit} exists and is ${state}`)
        : check(
            'unit',
            `${unit} on ${name}`,
            'failed',
            `${unit} is ${state === 'none' || state === '' ? 'of no enabled state' : state} on ${name}: it would not come back after a reboot of ${name}`,
          ),
    );
  }
  return out;
}

/** Interfaces the runbook uses on a member: present, up and with carrier. */
export function interfaceChecks(read: TestMemberRead, interfaces: readonly string[]): TestRecoveryCheck[] {
  const name = read.server.name;
  if (interfaces.length === 0) return [];
  const links = read.facts?.links;
  if (!read.facts) return [check('interface', name, 'skipped', `${name} could not be read`)];
  if (!links?.ok) return [check('interface', name, 'unknown', `${name}: ${links?.why ?? 'interfaces not read'}`)];
  return interfaces.map((itf) => {
    const link = links.value.find((l) => l.interface === itf);
    const subject = `${itf} on ${name}`;
    if (!link) return check('interface', subject, 'failed', `${name} has no interface ${itf}`);
    if (!link.up) return check('interface', subject, 'failed', `${itf} on ${name} is down`);
    if (!link.carrier) return check('interface', subject, 'failed', `${itf} on ${name} is up but has no carrier`);
    return check('interface', subject, 'ok', `${itf} is up`);
  });
}

/** pg_ctl and the data directory on a member (the read's PostgreSQL part proved itself). */
export function postgresCheck(read: TestMemberRead, dataDir: string): TestRecoveryCheck {
  const name = read.server.name;
  const pg = read.facts?.postgres;
  if (!read.facts) return check('postgres', name, 'skipped', `${name} could not be read`);
  if (!pg?.ok) return check('postgres', name, 'failed', `${name}: ${pg?.why ?? 'PostgreSQL not read'}`);
  return check('postgres', name, 'ok', `pg_ctl and ${dataDir} found; PostgreSQL ${pg.value.role}`);
}

/** The target a standby streaming from the source, its lag within the RPO. */
export function replicationCheck(
  source: TestMemberRead,
  target: TestMemberRead,
  rpoMinutes: number | null,
): TestRecoveryCheck {
  const subject = `${source.server.name} → ${target.server.name}`;
  const targetPg = target.facts?.postgres;
  const sourcePg = source.facts?.postgres;
  if (!targetPg?.ok || !sourcePg?.ok)
    return check('replication', subject, 'skipped', 'PostgreSQL could not be read on both members');
  if (sourcePg.value.role !== 'primary')
    return check(
      'replication',
      subject,
      'failed',
      `${source.server.name} is not the primary (PostgreSQL ${sourcePg.value.role})`,
    );
  if (targetPg.value.role !== 'standby')
    return check(
      'replication',
      subject,
      'failed',
      `${target.server.name} is not a standby (PostgreSQL ${targetPg.value.role}): promotion would be refused`,
    );
  const receiver = target.facts?.walReceiver;
  if (!receiver?.ok)
    return check('replication', subject, 'unknown', `${target.server.name}: ${receiver?.why ?? 'not read'}`);
  if (receiver.value !== 'streaming')
    return check(
      'replication',
      subject,
      'failed',
      `${target.server.name} is not streaming from ${source.server.name} (WAL receiver: ${receiver.value})`,
    );
  const lag = targetPg.value.lagSeconds;
  if (lag === null || lag < 0)
    return check('replication', subject, 'unknown', `${target.server.name} streams, but its replay lag is unknown`);
  const rpo = rpoMinutes === null ? null : rpoMinutes * 60;
  if (rpo !== null && lag > rpo)
    return check('replication', subject, 'failed', `replay lag ${lag} s is above the RPO of ${rpoMinutes} min`);
  return check(
    'replication',
    subject,
    'ok',
    `streaming, replay lag ${lag} s${rpo === null ? ' (no RPO set)' : ` within the RPO of ${rpoMinutes} min`}`,
  );
}

/** The preconditions each kind of step relies on. */
const STEP_PRECONDITIONS: Record<string, Precondition[]> = {
  'vip.listen': ['login', 'interface', 'vip-holder'],
  'vip.release': ['login', 'interface'],
  'vip.acquire': ['login', 'interface'],
  'vip.watch': ['login', 'interface'],
  'rsync.sync': ['login', 'rsync', 'disk'],
  'postgres.promote': ['login', 'postgres', 'replication'],
  'service.stop': ['login', 'unit'],
  'service.start': ['login', 'unit'],
  'service.restart': ['login', 'unit'],
  'wait.check': ['login', 'unit'],
  'command.run': ['login'],
  manual: [],
};

/** The steps with their preconditions and expected times (the last good drill's, else a manual step's estimate). */
export function describeSteps(runbook: Runbook, drillSteps: ReadonlyMap<string, number> | null): TestRecoveryStep[] {
  return runbook.steps.map((step, index) => {
    const kind = step.type === 'manual' ? 'manual' : step.action.kind;
    const measured = drillSteps?.get(`${index}:${step.title}`) ?? drillSteps?.get(step.title);
    const estimate = step.type === 'manual' ? step.expectedMinutes * 60 : null;
    return {
      index,
      title: step.title,
      kind,
      expectedSeconds: measured !== undefined ? measured : estimate,
      expectedFrom: measured !== undefined ? 'drill' : estimate !== null ? 'manual estimate' : 'none',
      preconditions: STEP_PRECONDITIONS[kind] ?? ['login'],
    };
  });
}

/** The first check that failed or is unknown, as the group's reason ("unit: crm is disabled on web-b"). */
export function firstProblem(checks: readonly TestRecoveryCheck[]): TestRecoveryCheck | undefined {
  return checks.find((c) => c.status === 'failed' || c.status === 'unknown');
}

/** The servers a direction touches, by id. */
export function endsOf(runbook: Runbook, servers: ReadonlyMap<number, Server>): { source: string; target: string } {
  const name = (id: number) => servers.get(id)?.name ?? `server ${id}`;
  return { source: name(runbook.sourceServerId), target: name(runbook.targetServerId) };
}

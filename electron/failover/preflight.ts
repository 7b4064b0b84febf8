/**
 * The live pre-flight: one proven read per member, in parallel (member-read.ts: OS, addresses,
 * interfaces, PostgreSQL, units), then the checks that decide whether a run may start: anything
 * that could not be read blocks, named (preflight-reads.ts); who holds each VIP (two holders halts
 * with an alarm), whether the target is reachable, whether the member
 * being left is (unreachable needs the operator's attestation), lag against the RPO, the latest
 * sync-freshness and drift checks, and the last good drill.
 */
import type { Db } from '../db/connection';
import type { Server } from '../../shared/domain';
import type { MemberState, Preflight, PreflightCheck, VipHolding } from '../../shared/contract/failover';
import type { Runbook } from '../../shared/runbooks';
import type { ExecScope } from './exec';
import { attestationKey } from './attestation';
import type { GroupContext } from './definition';
import { findAddress } from './actions/vip-state';
import { postgresAccessOf } from './actions/postgres-scripts';
import { readMember, type MemberFacts, type ReadRequest } from './member-read';
import { factChecks, interfacesToCheck, readRequest, unitsToCheck } from './preflight-reads';
import { outcomeText } from './actions/kit';
import { sshFailureWords } from '../../shared/ssh-status';
import { drillStatuses } from './drills';
import { latestResults, listChecks } from '../db/repositories/checks';
import type { CheckResult } from '../../shared/checks';

/** Pre-flight reads are small: a member that does not answer in this long counts as unreachable for planning. */
export const PREFLIGHT_READ_TIMEOUT_MS = 8000;

interface MemberRead {
  state: MemberState;
  server: Server | null;
  facts: MemberFacts | null;
}

async function readOne(
  scope: ExecScope,
  context: GroupContext,
  serverId: number,
  role: MemberState['role'],
  request: ReadRequest,
): Promise<MemberRead> {
  const server = context.servers.get(serverId);
  const base: MemberState = {
    serverId,
    host: server?.name ?? `server ${serverId}`,
    role,
    reachability: 'unknown',
    detail: '',
    inRecovery: null,
    replayLagSeconds: null,
  };
  if (!server) return { state: { ...base, detail: 'not in the inventory' }, server: null, facts: null };
  const { outcome, facts } = await readMember(
    scope,
    server,
    `pre-flight: read ${server.name}`,
    request,
    PREFLIGHT_READ_TIMEOUT_MS,
  );
  const none = { server, facts: null };
  if (outcome.kind === 'unreachable') {
    // Four different things (shared/ssh-status.ts): never say a host answered when nothing was exchanged.
    const reachability = (
      { refused: 'login-refused', local: 'cannot-login', network: 'unreachable', unknown: 'unknown' } as const
    )[outcome.cause];
    return {
      state: { ...base, reachability, detail: `${sshFailureWords(outcome.cause, server.name)}: ${outcome.detail}` },
      ...none,
    };
  }
  if (outcome.kind === 'host-key')
    return { state: { ...base, reachability: 'host-key', detail: `${server.name}: ${outcomeText(outcome)}` }, ...none };
  if (outcome.kind === 'indeterminate' || !facts)
    return {
      state: {
        ...base,
        reachability: 'unknown',
        detail: `the state of ${server.name} is unknown: ${outcomeText(outcome)}`,
      },
      ...none,
    };
  const pg = facts.postgres?.ok ? facts.postgres.value : null;
  const unproven = [facts.os, facts.addresses, facts.postgres]
    .filter((k) => k && !k.ok)
    .map((k) => (k && !k.ok ? k.why : ''));
  return {
    state: {
      ...base,
      reachability: 'reachable',
      detail: unproven.length > 0 ? `answered, but not everything could be read: ${unproven.join('; ')}` : 'reachable',
      inRecovery: pg === null || pg.role === 'stopped' ? null : pg.role === 'standby',
      replayLagSeconds: pg?.role === 'standby' ? pg.lagSeconds : pg?.role === 'primary' ? 0 : null,
    },
    server,
    facts,
  };
}

/** The latest result of the group's checks of a kind (the checks scheduler records them). */
/** The newest result of the group's check of one kind, or null when none has run. */
function latestCheck(db: Db, groupId: number, kind: 'freshness' | 'drift'): CheckResult | null {
  const latest = latestResults(db);
  const results = listChecks(db, { groupId })
    .filter((check) => check.kind === kind && check.enabled)
    .map((check) => latest.get(check.id))
    .filter((result): result is CheckResult => result !== undefined);
  return results.sort((a, b) => b.at - a.at)[0] ?? null;
}

/**
 * The health checks that watch the member failed over to, as last recorded: a warning naming the
 * ones not OK (shown, not blocking: it may still be the best place to go), or that none watch it.
 */
function targetHealth(db: Db, serverId: number, host: string, now: number): PreflightCheck {
  const latest = latestResults(db);
  const own = listChecks(db).filter((check) => check.enabled && check.serverId === serverId);
  if (own.length === 0)
    return {
      name: 'target health',
      status: 'warn',
      detail: `no health check watches ${host}: add the default checks on the Health screen`,
    };
  const notOk = own.filter((check) => latest.get(check.id)?.status !== 'ok');
  if (notOk.length === 0) {
    const oldest = Math.min(...own.map((check) => latest.get(check.id)!.at));
    return {
      name: 'target health',
      status: 'ok',
      detail: `${own.length} check${own.length === 1 ? '' : 's'} of ${host} OK (oldest result ${Math.round((now - oldest) / 1000)} s ago)`,
    };
  }
  const said = notOk.map((check) => `${check.name}: ${latest.get(check.id)?.summary ?? 'not run yet'}`);
  return {
    name: 'target health',
    status: 'warn',
    detail: `${notOk.length} of ${own.length} checks of ${host} are not OK: ${said.join('; ')}`,
  };
}

/** Read the live state and judge whether a run may start. */
export async function runPreflight(
  scope: ExecScope,
  context: GroupContext,
  runbook: Runbook,
  opts: { attested: boolean },
): Promise<Preflight> {
  const started = Date.now();
  const { group } = context;
  const pg = postgresAccessOf(context.group, runbook);
  const interfaces = interfacesToCheck(context, runbook);
  const units = unitsToCheck(context, runbook);
  const reads = await Promise.all(
    group.members.map((m) =>
      readOne(scope, context, m.serverId, m.role, readRequest(m.serverId, pg, interfaces, units)),
    ),
  );
  const members = reads.map((r) => r.state);
  const nameOf = (id: number) => members.find((m) => m.serverId === id)?.host ?? `server ${id}`;
  const checks: PreflightCheck[] = [];
  const answered = reads.flatMap((r) => (r.server && r.facts ? [{ server: r.server, facts: r.facts }] : []));

  const vips: VipHolding[] = group.vips.map((vip) => {
    const holding: VipHolding = { address: vip.address, holders: [], unknown: [] };
    for (const read of reads) {
      const addresses = read.facts?.addresses;
      if (!addresses?.ok) {
        holding.unknown.push({ serverId: read.state.serverId, host: read.state.host });
        continue;
      }
      const held = findAddress(addresses.value, vip.address);
      if (held)
        holding.holders.push({
          serverId: read.state.serverId,
          host: read.state.host,
          interface: held.interface,
          prefix: held.prefix,
        });
    }
    return holding;
  });
  for (const holding of vips) {
    const names = holding.holders.map((h) => h.host).join(' and ');
    // A member that answered but whose address list did not prove itself may hold the address: that is not "free".
    const unproven = answered
      .filter((r) => !r.facts.addresses.ok)
      .map((r) => `${r.server.name}: ${r.facts.addresses.ok ? '' : r.facts.addresses.why}`);
    if (holding.holders.length > 1)
      checks.push({
        name: `VIP ${holding.address}`,
        status: 'block',
        detail: `TWO HOLDERS: ${names} both hold ${holding.address}. Halted: resolve the split brain by hand first.`,
      });
    else if (unproven.length > 0) {
      checks.push({
        name: `VIP ${holding.address}`,
        status: 'block',
        detail: `cannot tell who holds ${holding.address}: ${unproven.join('; ')}. Check that ip (or ifconfig) works there and that the server's OS is right in the inventory, then run the pre-flight again`,
      });
    } else if (holding.holders.length === 1)
      checks.push({ name: `VIP ${holding.address}`, status: 'ok', detail: `held by ${names}` });
    else
      checks.push({
        name: `VIP ${holding.address}`,
        status: 'warn',
        detail: `held by no reachable member${holding.unknown.length ? ` (unknown on ${holding.unknown.map((u) => u.host).join(', ')}, which could not be reached)` : ''}`,
      });
  }
  checks.push(...factChecks(answered, interfaces, units));

  // A runbook of manual steps only sends no command: an unreachable member is shown, not a blocker.
  const remote = runbook.steps.some((step) => step.type === 'action');
  const target = members.find((m) => m.serverId === runbook.targetServerId);
  if (!target || target.reachability !== 'reachable') {
    checks.push({
      name: 'target reachable',
      status: remote ? 'block' : 'warn',
      detail: `${target ? target.detail : `${nameOf(runbook.targetServerId)} is not a member`}${remote ? '' : '; the runbook has manual steps only'}`,
    });
  } else {
    checks.push({ name: 'target reachable', status: 'ok', detail: `${target.host} answered` });
    checks.push(targetHealth(scope.db, target.serverId, target.host, started));
  }
  const inPlace = runbook.sourceServerId === runbook.targetServerId;
  const source = inPlace ? undefined : members.find((m) => m.serverId === runbook.sourceServerId);
  // A member that answered but would not let Lifeboat in is up: it may not be attested as powered
  // off (a member that does not answer, or whose read timed out, may be, by the operator).
  const sourceLost =
    remote && source !== undefined && (source.reachability === 'unreachable' || source.reachability === 'unknown');
  if (source?.reachability === 'host-key') {
    checks.push({
      name: 'old member',
      status: remote ? 'block' : 'warn',
      detail: `${source.host}: ${source.detail}. A changed host key stops everything.`,
    });
  } else if (source?.reachability === 'cannot-login' && remote) {
    checks.push({
      name: 'old member',
      status: 'block',
      detail: `${source.detail}. It can neither be released nor attested as powered off from here: fix the login on this machine (start the SSH agent, add the key, give the passphrase) and run the pre-flight again.`,
    });
  } else if (source?.reachability === 'login-refused' && remote) {
    checks.push({
      name: 'old member',
      status: 'block',
      detail: `${source.host}: ${source.detail}. It is up, so it cannot be attested as powered off: fix the login (key, passphrase, agent, password) and run the pre-flight again; if you power it off or cut its network, the pre-flight will then ask for the attestation.`,
    });
  } else if (source && source.reachability !== 'reachable' && !remote) {
    checks.push({ name: 'old member', status: 'warn', detail: `${source.detail}; the runbook has manual steps only` });
  } else if (source && source.reachability !== 'reachable') {
    checks.push({
      name: 'old member',
      status: opts.attested ? 'ok' : 'needs-attestation',
      detail: `${source.detail}. ${opts.attested ? 'The operator attested it is powered off or isolated.' : 'Attest that it is powered off or isolated (with a reason) to go on: a live old member would mean two holders.'}`,
    });
  } else if (source) {
    checks.push({
      name: 'old member',
      status: 'ok',
      detail: `${source.host} answered: it will be released and fenced first`,
    });
  }
  for (const member of members) {
    if (
      member.serverId !== runbook.sourceServerId &&
      member.serverId !== runbook.targetServerId &&
      member.reachability !== 'reachable'
    ) {
      checks.push({ name: `member ${member.host}`, status: 'warn', detail: member.detail });
    }
  }

  let needsLagAck = false;
  if (pg && target?.reachability === 'reachable') {
    const primaries = members.filter((m) => m.inRecovery === false).map((m) => m.host);
    const targetPg = reads.find((r) => r.state.serverId === target.serverId)?.facts?.postgres;
    if (targetPg?.ok && targetPg.value.role === 'stopped')
      checks.push({
        name: 'PostgreSQL target',
        status: 'block',
        detail: `PostgreSQL on ${target.host} is stopped: start it as a standby first (a stopped server cannot be promoted)`,
      });
    if (primaries.length > 1)
      checks.push({
        name: 'PostgreSQL primaries',
        status: 'block',
        detail: `TWO PRIMARIES: ${primaries.join(' and ')} are both out of recovery`,
      });
    if (target.inRecovery === false)
      checks.push({
        name: 'PostgreSQL target',
        status: 'warn',
        detail: `${target.host} is already a primary: the promote step will refuse`,
      });
    const lag = target.replayLagSeconds;
    const rpo = context.rpoMinutes;
    if (target.inRecovery) {
      needsLagAck = rpo !== null && (lag === null || lag > rpo * 60);
      checks.push({
        name: 'replication lag',
        status: needsLagAck ? 'needs-acknowledgement' : 'ok',
        detail: `${target.host} replay lag ${lag === null ? 'unknown' : `${lag} s`} against an RPO of ${rpo === null ? 'none' : `${rpo} min`}`,
      });
    }
  }
  if (group.data.kind === 'rsync') {
    const freshness = latestCheck(scope.db, group.id, 'freshness');
    checks.push(
      freshness
        ? {
            name: 'last sync',
            status: freshness.status === 'ok' ? 'ok' : 'warn',
            detail: `${freshness.summary} (checked ${new Date(freshness.at).toISOString()})`,
          }
        : { name: 'last sync', status: 'warn', detail: 'no sync-freshness check has run for this group' },
    );
  }
  const drift = latestCheck(scope.db, group.id, 'drift');
  if (drift)
    checks.push({ name: 'configuration drift', status: drift.status === 'ok' ? 'ok' : 'warn', detail: drift.summary });
  checks.push(drillCheck(scope.db, group.id));

  return {
    groupId: group.id,
    groupName: group.name,
    sourceServerId: runbook.sourceServerId,
    targetServerId: runbook.targetServerId,
    at: started,
    durationMs: Date.now() - started,
    members,
    vips,
    checks,
    passed: !checks.some((c) => c.status === 'block'),
    /** True whenever the member being left cannot be reached, attested or not. */
    needsAttestation: sourceLost,
    attestationKey: attestationKey({
      groupId: group.id,
      sourceServerId: runbook.sourceServerId,
      targetServerId: runbook.targetServerId,
      members,
    }),
    needsAcknowledgement: needsLagAck,
    rtoMinutes: context.rtoMinutes,
    rpoMinutes: context.rpoMinutes,
  };
}

/** The last good drill as a pre-flight line: a warning when there is none or it no longer counts. */
function drillCheck(db: Db, groupId: number): PreflightCheck {
  const [status] = drillStatuses(db, groupId);
  if (!status || status.status === 'never') return { name: 'last good drill', status: 'warn', detail: 'never drilled' };
  const at = new Date(status.lastGoodDrill!.at).toISOString();
  if (status.status === 'good') return { name: 'last good drill', status: 'ok', detail: at };
  return {
    name: 'last good drill',
    status: 'warn',
    detail: `${at}, but it needs verification: ${status.reasons.join('; ')}`,
  };
}

/**
 * The final verification of a run, judged from re-read state (proven reads, member-read.ts): every
 * VIP of the group — whatever the runbook did or skipped — is held by the member failed over to
 * and by no other member; for a PostgreSQL group, exactly one member is a primary, and it is that
 * member. A member whose state cannot be proven is a problem too (unknown is not success), except
 * one the operator attested unreachable at pre-flight. Two holders or two primaries are alarms.
 */
import type { GroupContext } from './definition';
import type { ExecScope } from './exec';
import { findAddress } from './actions/vip-state';
import { readMember } from './member-read';
import { postgresAccessOf } from './actions/postgres-scripts';
import type { Runbook } from '../../shared/runbooks';

/** What the final verification reads of a run (a run's setup has it; kept here so verification does not import the controller). */
interface VerificationSetup {
  context: GroupContext;
  runbook: Runbook;
}

/** One problem found, and whether it is an alarm (two holders, two primaries). */
export interface VerificationProblem {
  text: string;
  alarm: boolean;
}

/** Problems found (empty when all is as the runbook intended). */
export async function finalVerification(
  scope: ExecScope,
  setup: VerificationSetup & { unreachable: ReadonlySet<number> },
): Promise<VerificationProblem[]> {
  const { context, runbook } = setup;
  const vips = context.group.vips;
  const pg = postgresAccessOf(context.group, runbook);
  if (vips.length === 0 && !pg) return [];
  // A re-protect leaves the group where it is: the primary now (its source) keeps the VIP and stays primary.
  const intendedId = runbook.direction === 'reprotect' ? runbook.sourceServerId : runbook.targetServerId;
  const intended = context.servers.get(intendedId)?.name ?? `server ${intendedId}`;
  const members = context.group.members.map((m) => context.servers.get(m.serverId)).filter((s) => s !== undefined);
  const reads = await Promise.all(
    members
      .filter((server) => !setup.unreachable.has(server.id) || server.id === intendedId)
      .map(async (server) => ({
        server,
        ...(await readMember(
          scope,
          server,
          `final verification: read ${server.name}`,
          { links: false, pg, units: [] },
          10_000,
        )),
      })),
  );
  const problems: VerificationProblem[] = [];
  const unknownText = (why: string[]) => (why.length > 0 ? ` (not proven on ${why.join('; ')})` : '');
  for (const vip of vips) {
    const holders: string[] = [];
    const unread: string[] = [];
    for (const { server, facts, outcome } of reads) {
      if (!facts?.addresses.ok) {
        unread.push(`${server.name}: ${facts && !facts.addresses.ok ? facts.addresses.why : outcome.kind}`);
        continue;
      }
      if (findAddress(facts.addresses.value, vip.address)) holders.push(server.name);
    }
    if (holders.length > 1)
      problems.push({ text: `TWO HOLDERS of ${vip.address}: ${holders.join(' and ')}`, alarm: true });
    else if (holders.length === 0)
      problems.push({ text: `${vip.address} is held by no member${unknownText(unread)}`, alarm: false });
    else if (holders[0] !== intended)
      problems.push({
        text: `${vip.address} is held by ${holders[0]}, not ${intended}${unknownText(unread)}`,
        alarm: false,
      });
    else if (unread.length > 0)
      problems.push({
        text: `${vip.address} is held by ${intended}, but whether another member holds it too is unknown${unknownText(unread)}`,
        alarm: false,
      });
  }
  if (pg) {
    const primaries: string[] = [];
    const unread: string[] = [];
    for (const { server, facts, outcome } of reads) {
      const state = facts?.postgres;
      if (!state?.ok) {
        unread.push(`${server.name}: ${state && !state.ok ? state.why : outcome.kind}`);
        continue;
      }
      if (state.value.role === 'primary') primaries.push(server.name);
    }
    if (primaries.length > 1)
      problems.push({
        text: `TWO PRIMARIES: PostgreSQL on ${primaries.join(' and ')} is out of recovery. Stop the one that is not ${intended} now.`,
        alarm: true,
      });
    else if (primaries.length === 0)
      problems.push({ text: `no PostgreSQL primary in the group${unknownText(unread)}`, alarm: false });
    else if (primaries[0] !== intended)
      problems.push({
        text: `the PostgreSQL primary is ${primaries[0]}, not ${intended}${unknownText(unread)}`,
        alarm: false,
      });
    else if (unread.length > 0)
      problems.push({
        text: `${intended} is the PostgreSQL primary, but whether another member is one too is unknown${unknownText(unread)}`,
        alarm: false,
      });
  }
  return problems;
}

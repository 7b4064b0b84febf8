/**
 * The final verification of a run, judged from re-read state: every VIP of the group — whatever
 * the runbook did or skipped — is held by the member failed over to and by no other member that
 * could be read.
 */
import type { RunSetup } from './run-controller';
import { auditedExec, type ExecScope } from './exec';
import { findAddress, listAddressesScript, parseAddresses } from './actions/vip-state';

/** Problems found (empty when all is as the runbook intended). */
export async function finalVerification(scope: ExecScope, setup: Pick<RunSetup, 'context' | 'runbook' | 'unreachable'>): Promise<string[]> {
  const { context, runbook } = setup;
  const vips = context.group.vips;
  if (vips.length === 0) return [];
  const intendedId = runbook.targetServerId;
  const intended = context.servers.get(intendedId)?.name ?? `server ${intendedId}`;
  const members = context.group.members.map((m) => context.servers.get(m.serverId)).filter((s) => s !== undefined);
  const reads = await Promise.all(
    members
      .filter((server) => !setup.unreachable.has(server.id) || server.id === intendedId)
      .map(async (server) => ({ server, outcome: await auditedExec(scope, server, `final verification: read ${server.name}`, listAddressesScript(server.os), { readOnly: true, quick: true, timeoutMs: 10_000 }) })),
  );
  const problems: string[] = [];
  for (const vip of vips) {
    const holders: string[] = [];
    const unread: string[] = [];
    for (const { server, outcome } of reads) {
      if (outcome.kind !== 'ok') { unread.push(server.name); continue; }
      if (findAddress(parseAddresses(server.os, outcome.result.stdout), vip.address)) holders.push(server.name);
    }
    const unknown = unread.length > 0 ? ` (${unread.join(', ')} could not be read)` : '';
    if (holders.length > 1) problems.push(`TWO HOLDERS of ${vip.address}: ${holders.join(' and ')}`);
    else if (holders.length === 0) problems.push(`${vip.address} is held by no member${unknown}`);
    else if (holders[0] !== intended) problems.push(`${vip.address} is held by ${holders[0]}, not ${intended}${unknown}`);
  }
  return problems;
}

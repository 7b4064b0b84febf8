/**
 * The final verification of a run, judged from re-read state: every VIP the runbook acquired is
 * held by its new member and by no other reachable member.
 */
import type { RunSetup } from './run-controller';
import { auditedExec, type ExecScope } from './exec';
import { findAddress, listAddressesScript, parseAddresses } from './actions/vip-state';

/** Problems found (empty when all is as the runbook intended). */
export async function finalVerification(scope: ExecScope, setup: RunSetup): Promise<string[]> {
  const { context, runbook, steps } = setup;
  const expected = new Map<string, number>();
  runbook.steps.forEach((step, index) => {
    if (step.type === 'action' && step.action.kind === 'vip.acquire' && steps[index].status !== 'skipped') expected.set(step.action.params.address, step.serverId);
  });
  if (expected.size === 0) return [];
  const members = context.group.members.map((m) => context.servers.get(m.serverId)).filter((s) => s !== undefined);
  const reads = await Promise.all(
    members
      .filter((server) => !setup.unreachable.has(server.id))
      .map(async (server) => ({ server, outcome: await auditedExec(scope, server, `final verification: read ${server.name}`, listAddressesScript(server.os), { readOnly: true, quick: true, timeoutMs: 10_000 }) })),
  );
  const problems: string[] = [];
  for (const [address, holderId] of expected) {
    const holders: string[] = [];
    let unknown = false;
    for (const { server, outcome } of reads) {
      if (outcome.kind !== 'ok') { unknown = true; continue; }
      if (findAddress(parseAddresses(server.os, outcome.result.stdout), address)) holders.push(server.name);
    }
    const intended = context.servers.get(holderId)?.name ?? `server ${holderId}`;
    if (holders.length > 1) problems.push(`TWO HOLDERS of ${address}: ${holders.join(' and ')}`);
    else if (holders.length === 0) problems.push(`${address} is held by no member${unknown ? ' that could be read' : ''}`);
    else if (holders[0] !== intended) problems.push(`${address} is held by ${holders[0]}, not ${intended}`);
  }
  return problems;
}

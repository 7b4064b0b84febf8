/**
 * vip: which member holds each virtual IP of the group, matched by address whatever the prefix.
 * None or two holders is the alarm (docs/safety.md, invariant 2); two holders counts at once.
 */
import { sh } from '../ssh/quote';
import { groupCheckName, groupLacks, groupMembers, readMembers, type CheckKindModule, type Evaluation } from './kind';
import { parseHeldAddresses, sameAddress, type HeldAddress } from './addresses';
import { byOs, checkScript } from './script';
import { worstStatus, type CheckStatus } from '../../shared/checks';

/** The vip check kind. */
export const vipKind: CheckKindModule<'vip'> = {
  kind: 'vip',
  validate: (_params, group) => groupLacks(group, group?.vips.length === 0, 'has no virtual IP'),
  defaults: (group) =>
    group.vips.length > 0 ? [{ name: groupCheckName(group, 'VIP ownership'), intervalSeconds: 30, retries: 1 }] : [],
  targets: groupMembers,
  script(_params, server) {
    return checkScript(byOs(server, { linux: sh`ip -o addr show`, openbsd: sh`ifconfig -A 2>/dev/null || ifconfig` }));
  },
  evaluate(observations, ctx): Evaluation {
    const vips = ctx.group?.vips ?? [];
    if (vips.length === 0) return { status: 'unknown', summary: 'this group has no virtual IP', metrics: {} };
    const { read, unread, problem } = readMembers(observations);
    const seen = new Map<string, HeldAddress[]>(read.map((member) => [member.name, parseHeldAddresses(member.stdout)]));
    const statuses: CheckStatus[] = [];
    const parts: string[] = [];
    const holdings: string[] = [];
    let maxHolders = 0;
    let minHolders = Infinity;
    let immediate = false;
    for (const vip of vips) {
      const holders = [...seen].flatMap(([name, held]) =>
        held.filter((h) => sameAddress(h.address, vip.address)).map((h) => ({ name, itf: h.interface })),
      );
      const names = [...new Set(holders.map((h) => h.name))];
      maxHolders = Math.max(maxHolders, names.length);
      minHolders = Math.min(minHolders, names.length);
      holdings.push(`${vip.address}=${names.join(',')}`);
      const unreadText = unread.length ? `; ${unread.join(', ')} could not be read` : '';
      if (names.length >= 2) {
        statuses.push('fail');
        immediate = true;
        parts.push(
          `ALARM: ${vip.address} is held by ${names.length === 2 ? 'two' : names.length} members: ${names.join(' and ')} (two holders)`,
        );
      } else if (names.length === 1) {
        const itf = holders.find((h) => h.name === names[0])?.itf;
        statuses.push(unread.length ? 'warn' : 'ok');
        parts.push(
          `${vip.address} on ${names[0]}${itf ? ` (${itf})` : ''}${unread.length ? `${unreadText}, so a second holder cannot be ruled out` : ''}`,
        );
      } else if (unread.length) {
        statuses.push('unknown');
        parts.push(`${vip.address} is on no member that could be read${unreadText}: ${problem}`);
      } else {
        statuses.push('fail');
        parts.push(`${vip.address} is held by no member (none holds it)`);
      }
    }
    return {
      status: worstStatus(statuses),
      summary: parts.join('; '),
      metrics: { holders: holdings, maxHolders, minHolders: Number.isFinite(minHolders) ? minHolders : 0 },
      immediate,
    };
  },
};

/** disk: how full the filesystem holding a path is (`df -P -k`, the same on Linux and OpenBSD). */
import { sh, word } from '../ssh/quote';
import { field, judgeSingle, levelStatus, membersOf, ownServer, round, type CheckKindModule } from './kind';
import { checkScript } from './script';

/** Read `df -P` 's data line from the end: the filesystem name may contain spaces. */
export function parseDfLine(line: string): { totalKb: number; usedKb: number; availableKb: number } | null {
  const parts = line.trim().split(/\s+/);
  if (parts.length < 6) return null;
  let capacityIndex = -1;
  parts.forEach((part, i) => {
    if (/^[0-9]+%$/.test(part)) capacityIndex = i;
  });
  if (capacityIndex < 3) return null;
  const [total, used, available] = parts.slice(capacityIndex - 3, capacityIndex).map(Number);
  if (![total, used, available].every((n) => Number.isSafeInteger(n) && n >= 0)) return null;
  return { totalKb: total, usedKb: used, availableKb: available };
}

/** The disk check kind. */
export const diskKind: CheckKindModule<'disk'> = {
  kind: 'disk',
  defaults: (group, inventory) =>
    membersOf(group, inventory.servers).map((host) => ({
      name: `${host.name}: disk /`,
      serverId: host.id,
      intervalSeconds: 120,
    })),
  targets: ownServer,
  script(params) {
    // The last line of df's output, without a pipeline (one process instead of three).
    return checkScript(sh`nl='
'
out=$(df -P -k -- ${word.path(params.path)} 2>&1)
echo "df=\${out##*$nl}"`);
  },
  evaluate(observations, ctx) {
    const { path, warnPercent, failPercent } = ctx.check.params;
    return judgeSingle(observations, (fields, { server }) => {
      const line = field(fields, 'df') ?? '';
      const df = parseDfLine(line);
      if (!df)
        return {
          status: 'unknown',
          summary: `df on ${server.name} did not describe ${path}: ${line.slice(0, 120)}`,
          metrics: {},
        };
      // df rounds the capacity up; so do we, from used and available (reserved blocks excluded).
      const usable = df.usedKb + df.availableKb;
      const usedPercent = usable === 0 ? 0 : Math.ceil((df.usedKb / usable) * 1000) / 10;
      const status = levelStatus(usedPercent, warnPercent, failPercent);
      const freeGb = round(df.availableKb / 1048576, 1);
      const level =
        status === 'fail' ? ` (fail at ${failPercent} %)` : status === 'warn' ? ` (warn at ${warnPercent} %)` : '';
      return {
        status,
        summary: `${path} on ${server.name} is ${usedPercent} % used, ${freeGb} GiB free${level}`,
        metrics: { usedPercent, freeGb },
      };
    });
  },
};

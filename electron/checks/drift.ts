/**
 * drift: sha256 of the listed files (directories are walked, up to maxFiles) on every member, and
 * which files differ or are missing somewhere.
 */
import { lines, sh, word } from '../ssh/quote';
import { groupCheckName, groupLacks, groupMembers, readMembers, type CheckKindModule, type Evaluation } from './kind';
import { checkScript } from './script';

/** `hash  path` lines from sha256sum (or `sha256 -r`), by path; a leading "\" marks an escaped name. */
export function parseChecksums(stdout: string): { sums: Map<string, string>; missing: string[]; truncated: boolean } {
  const sums = new Map<string, string>();
  const missing: string[] = [];
  let truncated = false;
  for (const line of stdout.split('\n')) {
    const sum = /^sum=\\?([0-9a-f]{64}) [ *]?(.+)$/.exec(line);
    if (sum) sums.set(sum[2], sum[1]);
    else if (line.startsWith('missing=')) missing.push(line.slice('missing='.length));
    else if (line === 'truncated=1') truncated = true;
  }
  return { sums, missing, truncated };
}

/** The drift check kind. */
export const driftKind: CheckKindModule<'drift'> = {
  kind: 'drift',
  validate: (_params, group) => groupLacks(group, (group?.members.length ?? 0) < 2, 'needs two members to compare'),
  defaults(group) {
    const data = group.data;
    if (data.kind !== 'rsync' || group.members.length < 2) return [];
    return [
      {
        name: groupCheckName(group, `drift of ${data.paths.join(', ')}`),
        params: { paths: data.paths },
        intervalSeconds: 300,
      },
    ];
  },
  targets: groupMembers,
  script(params) {
    const limit = word.integer(params.maxFiles, 1, 10_000);
    const over = word.integer(params.maxFiles + 1, 2, 10_001);
    const each = params.paths.map(
      (p) => sh`p=${word.path(p)}
if [ -e "$p" ]; then find "$p" -type f -exec "$@" {} + 2>/dev/null; else echo "missing=$p" >&2; fi`,
    );
    return checkScript(sh`if command -v sha256sum >/dev/null 2>&1; then set -- sha256sum; else set -- sha256 -r; fi
{
${lines(each)}
} 2>&1 | head -n ${over} | awk -v max=${limit} 'NR > max { print "truncated=1"; exit } /^missing=/ { print; next } { print "sum=" $0 }'`);
  },
  evaluate(observations, ctx): Evaluation {
    const { read, unread, problem } = readMembers(observations);
    const byMember = new Map(read.map((member) => [member.name, parseChecksums(member.stdout)]));
    if (byMember.size < 2) {
      return {
        status: 'unknown',
        summary: `fewer than two members could be read${problem ? `: ${problem}` : ''}`,
        metrics: {},
      };
    }
    const members = [...byMember.keys()];
    const paths = new Set([...byMember.values()].flatMap((m) => [...m.sums.keys()]));
    const differing = [...paths]
      .filter((path) => new Set(members.map((name) => byMember.get(name)!.sums.get(path) ?? 'missing')).size > 1)
      .sort();
    const truncated = members.filter((name) => byMember.get(name)!.truncated);
    const missingRoots = [...new Set([...byMember.values()].flatMap((m) => m.missing))];
    const notes = [
      truncated.length &&
        `more than ${ctx.check.params.maxFiles} files on ${truncated.join(', ')}: only the first were compared`,
      missingRoots.length && `missing on some member: ${missingRoots.slice(0, 3).join(', ')}`,
      unread.length && `${unread.join(', ')} could not be read`,
    ].filter(Boolean);
    const metrics = { differing: differing.slice(0, 100), differingCount: differing.length, filesCompared: paths.size };
    const noteText = notes.length ? ` (${notes.join('; ')})` : '';
    if (differing.length === 0 && missingRoots.length === 0) {
      return {
        status: notes.length ? 'warn' : 'ok',
        summary: `${paths.size} files identical on ${members.join(', ')}${noteText}`,
        metrics,
      };
    }
    const shown = differing.slice(0, 5).join(', ') + (differing.length > 5 ? ` and ${differing.length - 5} more` : '');
    return {
      status: ctx.check.params.onDifference,
      summary: `${differing.length} of ${paths.size} files differ between ${members.join(' and ')}${shown ? `: ${shown}` : ''}${noteText}`,
      metrics,
    };
  },
};

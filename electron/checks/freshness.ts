/**
 * freshness: the age of the newest file under a path (synced data) or of one file (a backup),
 * measured on the server's own clock, against the RPO; or (mode sync-stamp) the actual RPO from the
 * stamps the scheduled sync writes (sync-stamp.ts).
 */
import { sh, word } from '../ssh/quote';
import { syncNames } from '../../shared/sync-timer';
import { judgeSyncStamp, syncStampScript } from './sync-stamp';
import { field, groupCheckName, judgeSingle, numberField, ownServer, round, type CheckKindModule } from './kind';
import { checkScript } from './script';

/** The freshness check kind. */
export const freshnessKind: CheckKindModule<'freshness'> = {
  kind: 'freshness',
  defaults(group, inventory) {
    const data = group.data;
    if (data.kind === 'backup-restore') {
      const primary = group.members.find((m) => m.role === 'primary') ?? group.members[0];
      return primary
        ? [
            {
              name: groupCheckName(group, 'backup freshness'),
              serverId: primary.serverId,
              params: { path: data.backupPath },
              intervalSeconds: 300,
            },
          ]
        : [];
    }
    if (data.kind !== 'rsync') return [];
    // The scheduled sync's stamps, read on the standby (every run of the holder writes them on both sides).
    return group.members
      .filter((m) => m.role === 'standby')
      .map((member) => {
        const host = inventory.servers.get(member.serverId)?.name ?? `server ${member.serverId}`;
        return {
          name: groupCheckName(group, `sync stamp on ${host} (actual RPO)`),
          serverId: member.serverId,
          params: { path: syncNames(group.name).state, mode: 'sync-stamp' },
          intervalSeconds: 60,
        };
      });
  },
  targets: ownServer,
  script(params) {
    if (params.mode === 'sync-stamp') return checkScript(syncStampScript(params.path));
    const path = word.path(params.path);
    const newest =
      params.mode === 'file'
        ? sh`echo "mtime=$(stat -c %Y -- "$p" 2>/dev/null || stat -f %m -- "$p" 2>/dev/null)"`
        : sh`if find "$p" -maxdepth 0 -printf '' >/dev/null 2>&1; then
  find "$p" -type f -printf '%T@\\n' 2>/dev/null
else
  find "$p" -type f -exec stat -f %m {} + 2>/dev/null
fi | sort -n | awk '{ n++; last = $1 } END { print "files=" n + 0; if (n) print "mtime=" int(last) }'`;
    return checkScript(sh`p=${path}
echo "now=$(date +%s)"
if [ -e "$p" ]; then
${newest}
else
  echo missing=1
fi`);
  },
  evaluate(observations, ctx) {
    const { path, mode, maxAgeMinutes } = ctx.check.params;
    const limit = maxAgeMinutes ?? ctx.service?.rpoMinutes ?? null;
    return judgeSingle(observations, (fields, { server }) => {
      if (mode === 'sync-stamp') return judgeSyncStamp(fields, server, path, limit);
      if (field(fields, 'missing') === '1')
        return { status: 'fail', summary: `${path} does not exist on ${server.name}`, metrics: {} };
      if (mode === 'newest-file' && numberField(fields, 'files') === 0)
        return { status: 'fail', summary: `no files under ${path} on ${server.name}`, metrics: { files: 0 } };
      const now = numberField(fields, 'now');
      const mtime = numberField(fields, 'mtime');
      if (now === undefined || mtime === undefined)
        return { status: 'unknown', summary: `could not read the age of ${path} on ${server.name}`, metrics: {} };
      const ageMinutes = round(Math.max(0, now - mtime) / 60, 1);
      const what = mode === 'file' ? path : `the newest file under ${path}`;
      const metrics = {
        ageMinutes,
        ...(mode === 'newest-file' ? { files: numberField(fields, 'files') ?? null } : {}),
      };
      if (limit === null)
        return {
          status: 'ok',
          summary: `${what} on ${server.name} is ${ageMinutes} min old (no RPO to compare with)`,
          metrics,
        };
      const status = ageMinutes > limit ? 'fail' : ageMinutes > limit * 0.8 ? 'warn' : 'ok';
      return {
        status,
        summary: `${what} on ${server.name} is ${ageMinutes} min old (limit ${limit} min)`,
        metrics: { ...metrics, limitMinutes: limit },
      };
    });
  },
};

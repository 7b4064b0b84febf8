/**
 * backup: where a service's backups land and how fresh the newest must be. The newest file of the
 * directory (or the one file) is read on the server's own clock: its age and size. No directory,
 * no file, a file too small or too old fail; an answer that does not prove itself is unknown.
 */
import { sh, word } from '../ssh/quote';
import { field, judgeSingle, numberField, ownServer, round, type CheckKindModule } from './kind';
import { checkScript } from './script';

/** The backup check kind. */
export const backupKind: CheckKindModule<'backup'> = {
  kind: 'backup',
  targets: ownServer,
  script(params) {
    const p = word.path(params.path);
    // GNU find prints times and sizes; elsewhere (OpenBSD) stat -f does.
    return checkScript(sh`p=${p}
echo "now=$(date +%s)"
if [ -d "$p" ]; then
  if find "$p" -maxdepth 0 -printf '' >/dev/null 2>&1; then
    find "$p" -maxdepth 1 -type f -printf '%T@ %s %f\\n' 2>/dev/null
  else
    find "$p" -maxdepth 1 -type f -exec stat -f '%m %z %N' {} + 2>/dev/null
  fi | sort -n | awk '{ n++; last = $0 } END { print "files=" n + 0; if (n) { split(last, f, " "); print "mtime=" int(f[1]); print "bytes=" f[2]; sub(/^[^ ]+ [^ ]+ /, "", last); print "newest=" last } }'
elif [ -f "$p" ]; then
  echo files=1
  echo "mtime=$(stat -c %Y -- "$p" 2>/dev/null || stat -f %m -- "$p" 2>/dev/null)"
  echo "bytes=$(wc -c < "$p" | tr -d ' ')"
  echo "newest=$p"
else
  echo missing=1
fi`);
  },
  evaluate(observations, ctx) {
    const { path, maxAgeHours, minBytes } = ctx.check.params;
    return judgeSingle(observations, (fields, { server }) => {
      if (field(fields, 'missing') === '1')
        return { status: 'fail', summary: `no backup: ${path} does not exist on ${server.name}`, metrics: {} };
      if (numberField(fields, 'files') === 0)
        return { status: 'fail', summary: `no backup: ${path} on ${server.name} holds no file`, metrics: { files: 0 } };
      const now = numberField(fields, 'now');
      const mtime = numberField(fields, 'mtime');
      const bytes = numberField(fields, 'bytes');
      if (now === undefined || mtime === undefined || bytes === undefined)
        return {
          status: 'unknown',
          summary: `could not read the newest backup in ${path} on ${server.name}`,
          metrics: {},
        };
      const ageHours = round(Math.max(0, now - mtime) / 3600, 1);
      const newest = (field(fields, 'newest') ?? '').replace(/[^A-Za-z0-9_.\/:@+-]/g, '?').slice(0, 120);
      const metrics = { ageHours, bytes, newest, limitHours: maxAgeHours };
      if (bytes < minBytes)
        return {
          status: 'fail',
          summary: `the newest backup ${newest} on ${server.name} is ${bytes} bytes (less than ${minBytes}): empty or cut`,
          metrics,
        };
      const status = ageHours > maxAgeHours ? 'fail' : ageHours > maxAgeHours * 0.8 ? 'warn' : 'ok';
      return {
        status,
        summary: `the newest backup ${newest} on ${server.name} is ${ageHours} h old (limit ${maxAgeHours} h, ${bytes} bytes)`,
        metrics,
      };
    });
  },
};

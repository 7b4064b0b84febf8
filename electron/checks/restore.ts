/**
 * restore: a restore test. On its server (a member or a named restore host) it restores a sample
 * of the newest backup into a scratch place and compares it with the live data: one file from a
 * tar archive against the live file's sha256, or a pg_dump (custom format) through pg_restore into
 * a scratch database, row counts against the live database. The scratch copy is removed after.
 * Passing records that the backup restores; a backup that does not restore fails.
 */
import { DATABASE_NAME, type Server } from '../../shared/domain';
import { TABLE_NAME } from '../../shared/check-kinds';
import { LifeboatError } from '../../shared/errors';
import { lines, sh, word, type Script } from '../ssh/quote';
import { field, judgeSingle, numberField, ownServer, type CheckKindModule, type Evaluation } from './kind';
import { checkScript } from './script';

/** The scratch database a PostgreSQL restore test creates and drops. */
const SCRATCH_DATABASE = 'lifeboat_restore_test';

/** A shell function `sum` that prints the sha256 of its standard input. */
function sha256Of(os: Server['os']): Script {
  return os === 'openbsd' ? sh`sum() { sha256 -q; }` : sh`sum() { sha256sum | cut -d' ' -f1; }`;
}

/** The newest file when the backup path is a directory; its time. */
function pickBackup(path: string): Script {
  return sh`b=${word.path(path)}
if [ -d "$b" ]; then n=$(ls -1t -- "$b" | head -n 1); if [ -n "$n" ]; then b="$b/$n"; fi; fi
echo "backup=$b"`;
}

function fileScript(server: Server, backupPath: string, sample: string, live: string): Script {
  const sum = sha256Of(server.os);
  return sh`${pickBackup(backupPath)}
${sum}
if [ ! -f "$b" ]; then echo missing=1; else
echo "backup_mtime=$(stat -c %Y -- "$b" 2>/dev/null || stat -f %m -- "$b" 2>/dev/null)"
t=$(mktemp -d /tmp/lifeboat-restore.XXXXXX) || exit 3
m=${word.path(`/${sample}`)}; m=\${m#/}
z=''; case "$b" in *.gz|*.tgz) z=-z ;; esac
tar $z -xf "$b" -C "$t" "$m" 2>"$t/.err"; echo "tar_rc=$?"
echo "tar_err=$(head -c 300 "$t/.err" | tr '\\n' ' ')"
if [ -f "$t/$m" ]; then echo "restored=$(sum < "$t/$m")"; fi
l=${word.path(live)}
if [ -f "$l" ]; then echo "live=$(sum < "$l")"; echo "live_mtime=$(stat -c %Y -- "$l" 2>/dev/null || stat -f %m -- "$l" 2>/dev/null)"; else echo live_missing=1; fi
rm -rf -- "$t"
fi`;
}

function postgresScript(backupPath: string, database: string, tables: readonly string[], osUser: string): Script {
  const user = word.user(osUser);
  if (!DATABASE_NAME.test(database))
    throw new LifeboatError('invalid_input', 'a database name is letters, digits and _');
  const db = word.label(database);
  const scratch = word.label(SCRATCH_DATABASE);
  const counts = tables.map((table, i) => {
    // The identifier rule ([a-z0-9_.]) makes it safe inside the double-quoted query; checked here too.
    if (!TABLE_NAME.test(table))
      throw new LifeboatError('invalid_input', `"${table}" is not a table name: schema.name in lower case`);
    const name = word.label(table);
    const n = word.integer(i + 1);
    return sh`tbl=${name}
echo "restored_"${n}"=$(pg psql -X -At -d ${scratch} -c "SELECT count(*) FROM $tbl" 2>/dev/null)"
echo "live_"${n}"=$(pg psql -X -At -d ${db} -c "SELECT count(*) FROM $tbl" 2>/dev/null)"`;
  });
  return sh`${pickBackup(backupPath)}
pg() { if command -v runuser >/dev/null 2>&1; then runuser -u ${user} -- "$@"; else su -s /bin/sh ${user} -c '"$0" "$@"' "$@"; fi; }
if [ ! -f "$b" ]; then echo missing=1; else
t=$(mktemp -d /tmp/lifeboat-restore.XXXXXX) || exit 3
pg dropdb --if-exists ${scratch} >/dev/null 2>&1
if pg createdb ${scratch} 2>"$t/.err"; then
  pg pg_restore --no-owner --exit-on-error -d ${scratch} < "$b" 2>"$t/.err"; echo "restore_rc=$?"
  ${lines(counts)}
else
  echo create_failed=1
fi
echo "restore_err=$(head -c 300 "$t/.err" | tr '\\n' ' ')"
pg dropdb --if-exists ${scratch} >/dev/null 2>&1
rm -rf -- "$t"
fi`;
}

const clean = (text: string | undefined) =>
  (text ?? '')
    .replace(/[^\x20-\x7e]/g, '?')
    .trim()
    .slice(0, 200);

function judgeFile(fields: Map<string, string[]>, server: Server, sample: string, live: string): Evaluation {
  const backup = clean(field(fields, 'backup'));
  const tarRc = numberField(fields, 'tar_rc');
  if (tarRc === undefined)
    return { status: 'unknown', summary: `the restore test on ${server.name} gave no answer about tar`, metrics: {} };
  if (tarRc !== 0 || !field(fields, 'restored'))
    return {
      status: 'fail',
      summary: `restoring ${sample} from ${backup} failed on ${server.name} (tar exit ${tarRc}: ${clean(field(fields, 'tar_err')) || 'no file'}): the backup is damaged or lacks it`,
      metrics: { passed: 0, backup },
    };
  if (field(fields, 'live_missing') === '1')
    return {
      status: 'unknown',
      summary: `the live file ${live} is missing on ${server.name}: nothing to compare with`,
      metrics: { backup },
    };
  const restored = field(fields, 'restored');
  const current = field(fields, 'live');
  if (!restored || !current || !/^[0-9a-f]{64}$/.test(restored) || !/^[0-9a-f]{64}$/.test(current))
    return { status: 'unknown', summary: `could not read the checksums on ${server.name}`, metrics: { backup } };
  if (restored === current)
    return {
      status: 'ok',
      summary: `restored ${sample} from ${backup} on ${server.name}: its sha256 matches ${live}`,
      metrics: { passed: 1, backup, sha256: restored },
    };
  const changedLater = (numberField(fields, 'live_mtime') ?? 0) > (numberField(fields, 'backup_mtime') ?? Infinity);
  return changedLater
    ? {
        status: 'warn',
        summary: `restored ${sample} from ${backup}, but ${live} changed after the backup: pick a sample that does not change between backups`,
        metrics: { passed: 0, backup },
      }
    : {
        status: 'fail',
        summary: `restored ${sample} from ${backup} on ${server.name}, and its sha256 differs from ${live}, which has not changed since: the backup is corrupt`,
        metrics: { passed: 0, backup },
      };
}

function judgePostgres(fields: Map<string, string[]>, server: Server, tables: readonly string[]): Evaluation {
  const backup = clean(field(fields, 'backup'));
  const err = clean(field(fields, 'restore_err'));
  if (field(fields, 'create_failed') === '1')
    return {
      status: 'fail',
      summary: `could not create the scratch database ${SCRATCH_DATABASE} on ${server.name} (${err}); a standby is read-only: restore on the primary or a restore host`,
      metrics: { passed: 0, backup },
    };
  const rc = numberField(fields, 'restore_rc');
  if (rc === undefined)
    return {
      status: 'unknown',
      summary: `the restore test on ${server.name} gave no answer about pg_restore`,
      metrics: {},
    };
  if (rc !== 0)
    return {
      status: 'fail',
      summary: `pg_restore of ${backup} failed on ${server.name} (exit ${rc}: ${err}): the dump does not restore`,
      metrics: { passed: 0, backup },
    };
  const differing: string[] = [];
  for (const [i, table] of tables.entries()) {
    const restored = numberField(fields, `restored_${i + 1}`);
    const live = numberField(fields, `live_${i + 1}`);
    if (restored === undefined)
      return {
        status: 'fail',
        summary: `the restored copy of ${backup} has no table ${table} on ${server.name}`,
        metrics: { passed: 0, backup },
      };
    if (live === undefined)
      return {
        status: 'unknown',
        summary: `could not count the rows of ${table} in the live database`,
        metrics: { backup },
      };
    if (restored !== live) differing.push(`${table}: ${restored} restored, ${live} live`);
  }
  if (differing.length === 0)
    return {
      status: 'ok',
      summary: `restored ${backup} into a scratch database on ${server.name}: the row counts of ${tables.join(', ')} match`,
      metrics: { passed: 1, backup },
    };
  return {
    status: 'warn',
    summary: `restored ${backup} on ${server.name}; row counts differ (${differing.join('; ')}): the live data changed since the dump, or the dump is partial`,
    metrics: { passed: 1, backup },
  };
}

/** The restore-test check kind. */
export const restoreKind: CheckKindModule<'restore'> = {
  kind: 'restore',
  targets: ownServer,
  script(params, server) {
    return checkScript(
      params.method === 'postgres'
        ? postgresScript(params.backupPath, params.database, params.tables, params.osUser)
        : fileScript(server, params.backupPath, params.sample, params.compareWith ?? '/'),
    );
  },
  evaluate(observations, ctx) {
    const { method, backupPath, sample, compareWith, tables } = ctx.check.params;
    return judgeSingle(observations, (fields, { server }) => {
      if (field(fields, 'missing') === '1')
        return {
          status: 'fail',
          summary: `no backup at ${backupPath} on ${server.name}: nothing to restore`,
          metrics: { passed: 0 },
        };
      return method === 'postgres'
        ? judgePostgres(fields, server, tables)
        : judgeFile(fields, server, sample, compareWith ?? '/');
    });
  },
};

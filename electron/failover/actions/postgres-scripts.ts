/**
 * The scripts PostgreSQL steps and reads send, and how their answers are judged. Each one starts by
 * finding the cluster and its tools on the host itself: the data directory must hold a cluster
 * (PG_VERSION), and pg_ctl/psql come from the given binDir, else from the first place that has a
 * pg_ctl of the cluster's own version (pg_config --bindir, pg_lsclusters, /usr/lib/postgresql/<v>/bin,
 * /usr/local/pgsql/bin, PATH). Debian, Ubuntu and PGDG keep pg_ctl off PATH, so "pg_ctl: not found"
 * must never read as "stopped": only `pg_ctl status` exiting 3 means stopped.
 */
import { DATABASE_NAME, type Server, type ServiceGroup } from '../../../shared/domain';
import { postgresAccessFrom, PostgresPromoteParams, type ActionParams, type Runbook } from '../../../shared/runbooks';
import { LifeboatError } from '../../../shared/errors';
import { shellQuote, word } from '../../ssh/quote';

type Params = ActionParams<'postgres.promote'>;
/** What reading and connecting need (the promote step's parameters, or the group's data spec). */
export type PostgresAccess = Pick<Params, 'port' | 'dataDir' | 'osUser' | 'database' | 'binDir' | 'socketDir' | 'host'>;

/** How to reach the group's PostgreSQL: the runbook's promote step, else the group's data spec; null for no PostgreSQL. */
export function postgresAccessOf(group: ServiceGroup, runbook: Runbook): PostgresAccess | null {
  for (const step of runbook.steps)
    if (step.type === 'action' && step.action.kind === 'postgres.promote') return step.action.params;
  const data = group.data;
  if (data.kind !== 'postgres') return null;
  return PostgresPromoteParams.parse(postgresAccessFrom(data));
}

/** Exit statuses the scripts use to say what they could not find. */
export const PG_EXIT = { noCluster: 90, noPgCtl: 91 } as const;
export const PG_MARK = { cluster: 'lifeboat: cluster', bin: 'lifeboat: bin', ctl: 'lifeboat: pg_ctl status' } as const;
/** `pg_ctl status`: 0 running, 3 not running; anything else (4: no data directory, 127: not found) is unknown. */
export const PG_CTL_RUNNING = 0;
export const PG_CTL_STOPPED = 3;

/** Whether in recovery, and replay lag in seconds (0 when streaming and caught up, -1 unknown). */
export const STATUS_SQL =
  "select pg_is_in_recovery(), case when not pg_is_in_recovery() then 0 when (select status from pg_stat_wal_receiver) = 'streaming' and pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0 else coalesce(round(extract(epoch from now() - pg_last_xact_replay_timestamp())), -1) end";

/** A database name, checked against the same allowlist as the runbook schema (DATABASE_NAME). */
export function checkedDatabase(name: string): string {
  if (!DATABASE_NAME.test(name)) throw new LifeboatError('invalid_input', 'a database name is letters, digits and _');
  return name;
}

/** A database name, checked, then quoted as one shell word. */
function databaseWord(name: string): string {
  return shellQuote(checkedDatabase(name));
}

/**
 * Sets `pgv` (the cluster's PG_VERSION, empty when the data directory holds none) and `pgbin` (a
 * directory with a pg_ctl of that version, empty when none was found), and prints both. A found
 * directory goes into later commands unquoted, so only plain path characters are accepted.
 */
export function findPostgresScript(access: PostgresAccess): string {
  const dir = word.path(access.dataDir);
  // Each place is tried only when the ones before found nothing: pg_lsclusters is a Perl script, slow to start.
  const places =
    access.binDir !== ''
      ? [`pgtry ${word.path(access.binDir.replace(/\/+$/, '') || '/').quoted}`]
      : [
          'pgtry $(pg_config --bindir 2>/dev/null)',
          `pgtry $(pg_lsclusters -h 2>/dev/null | awk -v d=${dir.quoted} '$6 == d { print "/usr/lib/postgresql/" $1 "/bin" }')`,
          'pgtry /usr/lib/postgresql/*/bin /usr/local/pgsql/bin',
          `pgtry $(command -v pg_ctl 2>/dev/null | sed 's,/[^/]*$,,')`,
        ];
  return [
    `pgv=$(cat -- ${word.path(`${access.dataDir.replace(/\/+$/, '')}/PG_VERSION`).quoted} 2>/dev/null | head -n 1); pgbin=`,
    `pgtry() { for c in "$@"; do`,
    `  case "$c" in ''|*[!A-Za-z0-9/._+-]*) continue ;; esac`,
    `  [ -x "$c/pg_ctl" ] || continue`,
    `  case "$("$c/pg_ctl" --version 2>/dev/null)" in *") $pgv"|*") $pgv."*|*") $pgv "*) pgbin=$c; return 0 ;; esac`,
    `done; return 1; }`,
    `if [ -n "$pgv" ]; then ${places.join(' || ')}; fi`,
    `echo "${PG_MARK.cluster} $pgv"; echo "${PG_MARK.bin} $pgbin"`,
  ].join('\n');
}

/** Stop the script unless both the cluster and its pg_ctl were found. */
export function requireFoundScript(access: PostgresAccess): string {
  const dir = shellQuote(access.dataDir);
  return [
    findPostgresScript(access),
    `if [ -z "$pgv" ]; then echo "lifeboat: no PostgreSQL cluster in "${dir}" (no PG_VERSION)"; exit ${PG_EXIT.noCluster}; fi`,
    `if [ -z "$pgbin" ]; then echo "lifeboat: no pg_ctl of version $pgv found"; exit ${PG_EXIT.noPgCtl}; fi`,
  ].join('\n');
}

/** Run one of the found tools as the OS user; `args` are quoted words. The tool's path is plain (checked above). */
export function pgTool(
  os: Server['os'],
  user: string,
  tool: 'pg_ctl' | 'psql' | 'pg_controldata' | 'pg_rewind' | 'pg_basebackup',
  args: string,
): string {
  if (os === 'openbsd') return `su -s /bin/sh ${word.user(user).quoted} -c "$pgbin/${tool}"${shellQuote(` ${args}`)}`;
  return `runuser -u ${word.user(user).quoted} -- "$pgbin/${tool}" ${args}`;
}

/** psql with constant SQL statements (written in code, never from input), connecting as the data says. */
export function psqlCommand(os: Server['os'], access: PostgresAccess, statements: readonly string[]): string {
  const sql = statements.map((s) => `-c ${shellQuote(s)}`).join(' ');
  const host =
    access.host !== ''
      ? `-h ${word.host(access.host).quoted} `
      : access.socketDir !== ''
        ? `-h ${word.path(access.socketDir).quoted} `
        : '';
  return pgTool(
    os,
    access.osUser,
    'psql',
    `-X -A -t -q ${host}-p ${word.port(access.port).quoted} -d ${databaseWord(access.database)} ${sql}`,
  );
}

/** `pg_ctl status` of the cluster, printed as a marked line with its exit status. */
export function ctlStatusCommand(os: Server['os'], access: PostgresAccess): string {
  return `${pgTool(os, access.osUser, 'pg_ctl', `-D ${word.path(access.dataDir).quoted} status`)} >/dev/null 2>&1; echo "${PG_MARK.ctl} $?"`;
}

/** A whole script: find the cluster and its tools, then run psql. */
export function psqlScript(os: Server['os'], access: PostgresAccess, statements: readonly string[]): string {
  return [requireFoundScript(access), psqlCommand(os, access, statements)].join('\n');
}

export function statusScript(os: Server['os'], access: PostgresAccess): string {
  return psqlScript(os, access, [STATUS_SQL]);
}

/** Promote, waiting up to 60 s: prints t when done, f when the wait ran out (the promotion may still finish). */
export function promoteScript(os: Server['os'], access: PostgresAccess): string {
  return psqlScript(os, access, ['select pg_promote(true, 60)']);
}

/** pg_is_in_recovery(), then a write: assigning a transaction id fails on a read-only standby. */
export function verifyScript(os: Server['os'], access: PostgresAccess): string {
  return psqlScript(os, access, ['select pg_is_in_recovery()', 'select txid_current()']);
}

/** Whether PostgreSQL is running on the old primary, as `pg_ctl status` says (read-only). */
export function ctlReadScript(os: Server['os'], access: PostgresAccess): string {
  return [requireFoundScript(access), ctlStatusCommand(os, access)].join('\n');
}

/**
 * Fence the old primary: stop it (pg_ctl, or its service unit), then read `pg_ctl status` again.
 * The last line says that status; only 3 means stopped.
 */
export function fenceScript(os: Server['os'], params: Params): string {
  const dir = word.path(params.dataDir).quoted;
  const status = `${pgTool(os, params.osUser, 'pg_ctl', `-D ${dir} status`)} >/dev/null 2>&1`;
  const stop =
    params.fence.kind === 'service'
      ? os === 'openbsd'
        ? `rcctl stop ${word.unit(params.fence.unit).quoted}`
        : `systemctl stop -- ${word.unit(params.fence.unit).quoted}`
      : `if ${status}; then ${pgTool(os, params.osUser, 'pg_ctl', `-D ${dir} -m fast -w -t 60 stop`)}; fi`;
  return [requireFoundScript(params), stop, ctlStatusCommand(os, params)].join('\n');
}

/** The found cluster version and bin directory, as the script printed them (empty strings when not found). */
export function parseFound(stdout: string): { version: string; bin: string } | null {
  const version = new RegExp(`^${PG_MARK.cluster} ?(.*)$`, 'm').exec(stdout);
  const bin = new RegExp(`^${PG_MARK.bin} ?(.*)$`, 'm').exec(stdout);
  if (!version || !bin) return null;
  return { version: version[1].trim(), bin: bin[1].trim() };
}

/** The exit status of `pg_ctl status` the script printed, or null when it printed none. */
export function parseCtlStatus(stdout: string): number | null {
  const lines = [...stdout.matchAll(new RegExp(`^${PG_MARK.ctl} (\\d+)$`, 'gm'))];
  return lines.length === 0 ? null : Number(lines[lines.length - 1][1]);
}

/** Parse "t|0" into recovery and lag. */
export function parseStatus(stdout: string): { inRecovery: boolean; lagSeconds: number | null } | null {
  const m = /^([tf])\|(-?[0-9.]+)\s*$/m.exec(stdout);
  if (!m) return null;
  const lag = Number(m[2]);
  return { inRecovery: m[1] === 't', lagSeconds: lag < 0 ? null : lag };
}

/** Why a find-first script stopped before its work, or null when it found both. */
export function foundProblem(
  host: string,
  access: PostgresAccess,
  result: { code: number | null; stdout: string },
): string | null {
  if (result.code === PG_EXIT.noCluster)
    return `${access.dataDir} on ${host} holds no PostgreSQL cluster (no PG_VERSION): check the data directory`;
  if (result.code === PG_EXIT.noPgCtl) {
    const where =
      access.binDir !== ''
        ? `in ${access.binDir}`
        : 'in pg_config --bindir, pg_lsclusters, /usr/lib/postgresql/*/bin, /usr/local/pgsql/bin or on PATH';
    return `no pg_ctl of the cluster's version (${parseFound(result.stdout)?.version || '?'}) on ${host} ${where}`;
  }
  return null;
}

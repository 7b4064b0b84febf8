/**
 * The scripts that rebuild an old primary as a standby of the primary now, and how their answers
 * are judged. Every read is a proven section (proven-read.ts): a missing pg_controldata, a psql
 * that did not answer or output cut short is unknown, never "rewind allowed" or "streaming".
 * Values reach scripts only as allowlisted words (addresses, ports, user names, paths), quoted.
 */
import { Slug, type Server } from '../../../shared/domain';
import { LifeboatError } from '../../../shared/errors';
import type { ActionParams } from '../../../shared/runbooks';
import { shellQuote, word } from '../../ssh/quote';
import { readSection, section } from '../proven-read';
import {
  checkedDatabase,
  ctlStatusCommand,
  pgTool,
  psqlCommand,
  requireFoundScript,
  type PostgresAccess,
} from './postgres-scripts';

type RebuildParams = ActionParams<'postgres.rebuild'>;

/** Exit statuses of the rebuild scripts that say what happened (besides the tools' own). */
export const REBUILD_EXIT = { asideFailed: 92, basebackupFailed: 93, rewindFailed: 94 } as const;

/**
 * On the member to rebuild: `pg_ctl status` and, from pg_controldata, whether data checksums or
 * wal_log_hints are on (pg_rewind needs one of them).
 */
export function rebuildReadScript(os: Server['os'], access: PostgresAccess): string {
  const dir = word.path(access.dataDir).quoted;
  return [
    requireFoundScript(access),
    ctlStatusCommand(os, access),
    section(
      'controldata',
      `${pgTool(os, access.osUser, 'pg_controldata', `-D ${dir}`)} | grep -E '^(Data page checksum version|wal_log_hints setting|Database cluster state):'`,
    ),
  ].join('\n');
}

/** What pg_controldata says about rewinding: null when the section did not prove itself. */
export function parseControlData(
  stdout: string,
): { checksums: boolean; walLogHints: boolean; state: string } | { unknown: string } {
  const read = readSection(stdout, 'controldata');
  if (!read.ok) return { unknown: `pg_controldata did not answer: ${read.why}` };
  const value = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(read.text)?.[1].trim();
  const checksums = value('Data page checksum version');
  const hints = value('wal_log_hints setting');
  const state = value('Database cluster state') ?? '';
  if (checksums === undefined || hints === undefined)
    return {
      unknown: `pg_controldata printed neither the checksum version nor wal_log_hints: ${read.text.slice(0, 200)}`,
    };
  return { checksums: checksums !== '0', walLogHints: hints === 'on', state };
}

/** On the primary: whether it is one (not in recovery) and whether full_page_writes is on (pg_rewind needs it). */
export function primaryReadScript(os: Server['os'], access: PostgresAccess): string {
  return [
    requireFoundScript(access),
    section(
      'primary',
      psqlCommand(os, access, ["select pg_is_in_recovery() || '|' || current_setting('full_page_writes')"]),
    ),
  ].join('\n');
}

export function parsePrimaryRead(
  stdout: string,
): { inRecovery: boolean; fullPageWrites: boolean } | { unknown: string } {
  const read = readSection(stdout, 'primary');
  if (!read.ok) return { unknown: `PostgreSQL did not answer: ${read.why}` };
  const m = /^(true|false)\|(on|off)$/m.exec(read.text);
  if (!m) return { unknown: `an answer that is not "recovery|full_page_writes": ${read.text.slice(0, 200)}` };
  return { inRecovery: m[1] === 'true', fullPageWrites: m[2] === 'on' };
}

/**
 * The standby's application_name is its server's name, which the domain allows as a Slug
 * (lower-case letters, digits, ".", "_", "-"): nothing a conninfo string would need to quote.
 */
function applicationNameOf(serverName: string): string {
  if (!Slug.safeParse(serverName).success)
    throw new LifeboatError('invalid_input', `"${serverName}" is not a server name that can be an application_name`);
  return serverName;
}

/** The connection string a standby uses to reach the primary (values allowlisted: no quote or space can occur). */
export function primaryConninfo(primaryAddress: string, params: RebuildParams, applicationName: string): string {
  const parts = [
    `host=${word.host(primaryAddress).value}`,
    `port=${word.port(params.port).value}`,
    `user=${word.user(params.replicationUser).value}`,
    `application_name=${applicationNameOf(applicationName)}`,
  ];
  return parts.join(' ');
}

/** pg_rewind from the primary; the data directory stays where it is. */
export function rewindScript(os: Server['os'], params: RebuildParams, primaryAddress: string): string {
  const source = shellQuote(
    `host=${word.host(primaryAddress).value} port=${word.port(params.port).value} user=${word.user(params.osUser).value} dbname=${checkedDatabase(params.database)}`,
  );
  return [
    requireFoundScript(params),
    `${pgTool(os, params.osUser, 'pg_rewind', `-D ${word.path(params.dataDir).quoted} --source-server=${source}`)} 2>&1 || exit ${REBUILD_EXIT.rewindFailed}`,
  ].join('\n');
}

/**
 * pg_basebackup from the primary into a fresh data directory. The old one is moved aside, not
 * deleted (it may hold writes that never reached the primary); when the copy fails, the partial
 * copy is removed and the old directory put back, so a retry starts from the same place.
 */
export function basebackupScript(os: Server['os'], params: RebuildParams, primaryAddress: string): string {
  const dir = word.path(params.dataDir).quoted;
  const args = `-h ${word.host(primaryAddress).quoted} -p ${word.port(params.port).quoted} -U ${word.user(params.replicationUser).quoted} -D ${dir} -X stream -c fast --no-password`;
  return [
    requireFoundScript(params),
    `aside=${dir}.lifeboat-$(date -u +%Y%m%dT%H%M%SZ)`,
    `mv -- ${dir} "$aside" || exit ${REBUILD_EXIT.asideFailed}`,
    `echo "lifeboat: the old data directory is kept at $aside"`,
    `if ! ${pgTool(os, params.osUser, 'pg_basebackup', args)} 2>&1; then rm -rf -- ${dir}; mv -- "$aside" ${dir}; echo 'lifeboat: pg_basebackup failed: the old data directory is back in place'; exit ${REBUILD_EXIT.basebackupFailed}; fi`,
  ].join('\n');
}

/** standby.signal and primary_conninfo (in postgresql.auto.conf, which is read last and so wins). */
export function standbyConfigScript(params: RebuildParams, conninfo: string): string {
  const dir = params.dataDir.replace(/\/+$/, '');
  const conf = word.path(`${dir}/postgresql.auto.conf`).quoted;
  const signal = word.path(`${dir}/standby.signal`).quoted;
  const user = word.user(params.osUser).quoted;
  const line = shellQuote(`primary_conninfo = '${conninfo}'`);
  return [
    `touch -- ${conf}`,
    `grep -v '^[[:space:]]*primary_conninfo[[:space:]]*=' ${conf} > ${conf}.lifeboat-new`,
    `printf '%s\\n' ${line} >> ${conf}.lifeboat-new`,
    `chown -- ${user} ${conf}.lifeboat-new && chmod 600 ${conf}.lifeboat-new && mv -- ${conf}.lifeboat-new ${conf}`,
    `touch -- ${signal} && chown -- ${user} ${signal} && chmod 600 ${signal}`,
    `grep -c '^primary_conninfo' ${conf}`,
  ].join('\n');
}

/** Start PostgreSQL (its unit, or pg_ctl) and print `pg_ctl status`. */
export function startScript(os: Server['os'], params: RebuildParams): string {
  const dir = word.path(params.dataDir).quoted;
  const start =
    params.control.kind === 'service'
      ? os === 'openbsd'
        ? `rcctl start ${word.unit(params.control.unit).quoted}`
        : `systemctl start -- ${word.unit(params.control.unit).quoted}`
      : `${pgTool(os, params.osUser, 'pg_ctl', `-D ${dir} -w -t 60 -l ${word.path(`${params.dataDir.replace(/\/+$/, '')}/lifeboat-start.log`).quoted} start`)} >/dev/null`;
  return [requireFoundScript(params), `${start} 2>&1`, ctlStatusCommand(os, params)].join('\n');
}

/** On the standby: its WAL receiver's status (one line, or none when no receiver runs). */
export function receiverReadScript(os: Server['os'], access: PostgresAccess): string {
  return [
    requireFoundScript(access),
    section(
      'receiver',
      psqlCommand(os, access, [
        "select 'recovery|' || pg_is_in_recovery()",
        "select 'receiver|' || status || '|' || coalesce(sender_host, '') from pg_stat_wal_receiver",
      ]),
    ),
  ].join('\n');
}

export function parseReceiver(stdout: string): { inRecovery: boolean; status: string | null } | { unknown: string } {
  const read = readSection(stdout, 'receiver');
  if (!read.ok) return { unknown: `PostgreSQL did not answer: ${read.why}` };
  const recovery = /^recovery\|(true|false)$/m.exec(read.text);
  if (!recovery) return { unknown: `no recovery state in the answer: ${read.text.slice(0, 200)}` };
  const receiver = /^receiver\|([a-z]+)\|/m.exec(read.text);
  return { inRecovery: recovery[1] === 'true', status: receiver ? receiver[1] : null };
}

/** On the primary: every WAL sender, by application name and state. */
export function sendersReadScript(os: Server['os'], access: PostgresAccess): string {
  return [
    requireFoundScript(access),
    section(
      'senders',
      psqlCommand(os, access, [
        "select 'sender|' || application_name || '|' || coalesce(state, '') || '|' || coalesce(host(client_addr), '') from pg_stat_replication",
      ]),
    ),
  ].join('\n');
}

export function parseSenders(
  stdout: string,
): { senders: { applicationName: string; state: string; clientAddress: string }[] } | { unknown: string } {
  const read = readSection(stdout, 'senders');
  if (!read.ok) return { unknown: `PostgreSQL did not answer: ${read.why}` };
  const senders = [...read.text.matchAll(/^sender\|([^|\n]*)\|([^|\n]*)\|([^|\n]*)$/gm)].map((m) => ({
    applicationName: m[1],
    state: m[2],
    clientAddress: m[3],
  }));
  return { senders };
}

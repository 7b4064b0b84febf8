/**
 * postgres: each member's role (`pg_is_in_recovery()`, run as the OS user through psql) and each
 * standby's replication lag, in bytes (the primary's current WAL position minus the standby's
 * replay position, read in the same sweep) and in seconds, judged against the service's RPO.
 */
import { sh, word } from '../ssh/quote';
import { worstStatus, type CheckStatus } from '../../shared/checks';
import {
  field,
  firstLine,
  groupCheckName,
  groupLacks,
  groupMembers,
  levelStatus,
  readObservation,
  round,
  type CheckKindModule,
  type Evaluation,
} from './kind';
import { checkScript } from './script';

/** `16/B374D848` → bytes, or null. */
export function parseLsn(text: string | undefined): bigint | null {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec((text ?? '').trim());
  return match ? (BigInt(`0x${match[1]}`) << 32n) + BigInt(`0x${match[2]}`) : null;
}

interface MemberReading {
  name: string;
  role: 'primary' | 'standby';
  lsn: bigint | null;
  lagSeconds: number | null;
  streaming: boolean;
}

function readMember(name: string, fields: Map<string, string[]>): MemberReading | string {
  if (field(fields, 'rc') !== '0')
    return `psql failed on ${name}: ${firstLine(fields.get('row')?.join('\n')) || 'no output'}`;
  // psql may print a notice first; the answer is the row that starts with the recovery flag.
  const cells = (fields.get('row')?.find((row) => /^[tf]\|/.test(row)) ?? '').split('|');
  if (cells.length < 6 || !['t', 'f'].includes(cells[0])) return `unexpected answer from psql on ${name}`;
  const lag = Number(cells[3]);
  return {
    name,
    role: cells[0] === 't' ? 'standby' : 'primary',
    lsn: parseLsn(cells[1]),
    lagSeconds: cells[3] !== '' && Number.isFinite(lag) && lag >= 0 ? lag : null,
    streaming: Number(cells[4]) > 0,
  };
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1048576) return `${round(bytes / 1024, 1)} KiB`;
  return `${round(bytes / 1048576, 1)} MiB`;
}

/** The postgres check kind. */
export const postgresKind: CheckKindModule<'postgres'> = {
  kind: 'postgres',
  validate: (_params, group) =>
    groupLacks(group, group?.data.kind !== 'postgres', 'does not keep its data in PostgreSQL'),
  defaults: (group) =>
    group.data.kind === 'postgres' && group.members.length > 0
      ? [{ name: groupCheckName(group, 'PostgreSQL roles and lag'), intervalSeconds: 30 }]
      : [],
  targets: groupMembers,
  script(params, _server, ctx) {
    const data = ctx.group?.data;
    if (!data || data.kind !== 'postgres') throw new TypeError('the group does not keep its data in PostgreSQL');
    const user = word.user(data.osUser);
    const host = params.socketDir === null ? sh`` : sh`-h ${word.path(params.socketDir)} `;
    // The database name's allowlist (letters, digits, _) is a subset of the unit-name allowlist.
    const database = word.unit(data.database);
    // The query is code: one row of in_recovery | WAL position | received position | lag seconds |
    // streaming receivers | replication clients. Double-quoted: it holds no $, `, " or \.
    return checkScript(sh`as_user() {
  if [ "$(id -un)" = ${user} ]; then "$@"
  elif command -v runuser >/dev/null 2>&1; then runuser -u ${user} -- "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n -u ${user} -- "$@"
  else doas -n -u ${user} "$@"; fi
}
out=$(cd / && as_user psql -X -A -t -q -F '|' ${host}-p ${word.port(data.port)} -d ${database} -c "select pg_is_in_recovery(),
  case when pg_is_in_recovery() then pg_last_wal_replay_lsn() else pg_current_wal_lsn() end,
  case when pg_is_in_recovery() then pg_last_wal_receive_lsn() end,
  case when pg_is_in_recovery() then case when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
    else coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp()), -1) end end,
  (select count(*) from pg_stat_wal_receiver where status = 'streaming'),
  (select count(*) from pg_stat_replication)" 2>&1)
echo "rc=$?"
printf '%s\\n' "$out" | head -n 5 | sed 's/^/row=/'`);
  },
  evaluate(observations, ctx): Evaluation {
    const rpoMinutes = ctx.service?.rpoMinutes ?? null;
    const p = ctx.check.params;
    const failSeconds = p.failLagSeconds ?? (rpoMinutes !== null ? rpoMinutes * 60 : 300);
    const warnSeconds = p.warnLagSeconds ?? (rpoMinutes !== null ? (rpoMinutes * 60) / 2 : 60);
    const readings: MemberReading[] = [];
    const problems: string[] = [];
    for (const observation of observations) {
      const read = readObservation(observation);
      const reading = 'problem' in read ? read.problem : readMember(observation.server.name, read.fields);
      if (typeof reading === 'string') problems.push(reading);
      else readings.push(reading);
    }
    const primaries = readings.filter((r) => r.role === 'primary');
    const standbys = readings.filter((r) => r.role === 'standby');
    const roles = { primary: primaries.map((r) => r.name), standbys: standbys.map((r) => r.name) };
    if (primaries.length >= 2) {
      return {
        status: 'fail',
        immediate: true,
        summary: `ALARM: two primaries: ${roles.primary.join(' and ')} both accept writes`,
        metrics: roles,
      };
    }
    if (primaries.length === 0) {
      const status = problems.length ? 'unknown' : 'fail';
      return {
        status,
        summary: `no primary found${problems.length ? `: ${problems.join('; ')}` : ` (${roles.standbys.join(', ')} in recovery)`}`,
        metrics: roles,
      };
    }
    const primary = primaries[0];
    const statuses: CheckStatus[] = problems.length ? ['warn'] : [];
    const parts = [`${primary.name} is the primary`];
    let maxBytes: number | null = null;
    let maxSeconds: number | null = null;
    for (const standby of standbys) {
      const bytes =
        primary.lsn !== null && standby.lsn !== null
          ? Number(primary.lsn > standby.lsn ? primary.lsn - standby.lsn : 0n)
          : null;
      if (bytes !== null) maxBytes = Math.max(maxBytes ?? 0, bytes);
      if (standby.lagSeconds !== null) maxSeconds = Math.max(maxSeconds ?? 0, standby.lagSeconds);
      const seconds = standby.lagSeconds;
      let status: CheckStatus = seconds === null ? 'warn' : levelStatus(seconds, warnSeconds, failSeconds);
      if (bytes !== null && p.failLagBytes !== null && bytes >= p.failLagBytes) status = 'fail';
      else if (bytes !== null && p.warnLagBytes !== null && bytes >= p.warnLagBytes && status === 'ok') status = 'warn';
      if (!standby.streaming && status === 'ok') status = 'warn';
      statuses.push(status);
      const lagText = `lag ${bytes === null ? '? B' : formatBytes(bytes)} / ${seconds === null ? '? s' : `${round(seconds, 1)} s`}`;
      parts.push(
        `${standby.name} standby, ${lagText}${standby.streaming ? '' : ', NOT streaming'}${status === 'fail' ? ' (above the RPO)' : ''}`,
      );
    }
    if (standbys.length === 0 && !problems.length) parts.push('no standby');
    const rpoText = rpoMinutes !== null ? ` (RPO ${rpoMinutes} min)` : '';
    return {
      status: worstStatus(statuses),
      summary: `${parts.join('; ')}${rpoText}${problems.length ? `; ${problems.join('; ')}` : ''}`,
      metrics: { ...roles, lagBytes: maxBytes, lagSeconds: maxSeconds === null ? null : round(maxSeconds, 2) },
    };
  },
};

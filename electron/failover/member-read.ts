/**
 * One read-only round trip per member, for the pre-flight and the final verification: the OS
 * (`uname -s`), the addresses, the interfaces, PostgreSQL (cluster, tools, `pg_ctl status`, a query)
 * and whether units exist. Each part is a proven section (proven-read.ts) with its own sanity
 * check; a part that is not proven is reported as unknown with the reason, never as "absent".
 */
import type { Server } from '../../shared/domain';
import { auditedExec, type ExecScope } from './exec';
import { readSection, section, clip } from './proven-read';
import {
  addressSanityProblem,
  listAddressesScript,
  listLinksScript,
  parseAddresses,
  parseLinks,
  type InterfaceAddress,
  type InterfaceLink,
} from './actions/vip-state';
import {
  ctlStatusCommand,
  findPostgresScript,
  parseCtlStatus,
  parseFound,
  parseStatus,
  psqlCommand,
  STATUS_SQL,
  PG_CTL_RUNNING,
  PG_CTL_STOPPED,
  type PostgresAccess,
} from './actions/postgres-scripts';
import { word } from '../ssh/quote';
import type { RemoteOutcome } from '../ports/remote';

/** What to read on one member. */
export interface ReadRequest {
  /** Check the OS against the inventory and the interfaces' links (pre-flight). */
  links: boolean;
  pg: PostgresAccess | null;
  /** Units whose existence is checked on this member. */
  units: readonly string[];
}

export type Known<T> = { ok: true; value: T } | { ok: false; why: string };

/** PostgreSQL on a member: a primary, a standby (with its lag), or proven stopped. */
export type PostgresState = { role: 'primary' } | { role: 'standby'; lagSeconds: number | null } | { role: 'stopped' };

export interface MemberFacts {
  /** `uname -s`, as printed. */
  os: Known<string>;
  addresses: Known<InterfaceAddress[]>;
  links: Known<InterfaceLink[]> | null;
  postgres: Known<PostgresState> | null;
  /** LoadState of each unit asked about ("loaded", "not-found", "masked", …). */
  units: Known<Map<string, string>> | null;
}

/** What `uname -s` prints for each OS the inventory knows. */
export const UNAME: Record<Server['os'], string> = { linux: 'Linux', openbsd: 'OpenBSD' };
/** The last line of every member read: without it the read was cut short. */
export const READ_COMPLETE = '--- lifeboat: read complete';
/** Load states systemd reports; anything else printed is not an answer. */
const LOAD_STATES = ['loaded', 'not-found', 'masked', 'error', 'bad-setting', 'stub', 'merged'];

function unitsScript(os: Server['os'], units: readonly string[]): string {
  const names = units.map((u) => word.unit(u).quoted).join(' ');
  if (os === 'openbsd') {
    return `command -v rcctl >/dev/null && for u in ${names}; do if rcctl get "$u" >/dev/null 2>&1; then echo "$u loaded"; else echo "$u not-found"; fi; done`;
  }
  return `command -v systemctl >/dev/null && for u in ${names}; do printf '%s %s\\n' "$u" "$(systemctl show -p LoadState --value -- "$u" 2>&1 | head -n 1)"; done`;
}

/** The read-only script sent to one member. */
export function memberReadScript(server: Server, request: ReadRequest): string {
  // stderr joins each section so a failure's own words are shown (odd lines are ignored by the parsers).
  const parts = [section('os', 'uname -s 2>&1'), section('addresses', `${listAddressesScript(server.os)} 2>&1`)];
  if (request.links) parts.push(section('links', `${listLinksScript(server.os)} 2>&1`));
  if (request.pg) {
    parts.push(
      section('pgfind', findPostgresScript(request.pg)),
      section('pgctl', `[ -n "$pgbin" ] && ${ctlStatusCommand(server.os, request.pg)}`),
      section('pgsql', `[ -n "$pgbin" ] && ${psqlCommand(server.os, request.pg, [STATUS_SQL])} 2>&1`),
    );
  }
  if (request.units.length > 0) parts.push(section('units', unitsScript(server.os, request.units)));
  parts.push(`echo '${READ_COMPLETE}'`);
  return parts.join('\n');
}

const unknown = (why: string) => ({ ok: false as const, why });

function readPostgres(stdout: string, access: PostgresAccess): Known<PostgresState> {
  const find = readSection(stdout, 'pgfind');
  const found = find.ok ? parseFound(find.text) : null;
  if (!found) return unknown(`the search for the cluster did not finish (${find.ok ? 'no answer' : find.why})`);
  if (!found.version) return unknown(`${access.dataDir} holds no PostgreSQL cluster (no PG_VERSION)`);
  if (!found.bin) {
    const where =
      access.binDir !== ''
        ? `in ${access.binDir}`
        : 'in pg_config --bindir, pg_lsclusters, /usr/lib/postgresql/*/bin, /usr/local/pgsql/bin or on PATH';
    return unknown(`no pg_ctl of version ${found.version} ${where}`);
  }
  const ctlSection = readSection(stdout, 'pgctl');
  const ctl = ctlSection.ok ? parseCtlStatus(ctlSection.text) : null;
  const sql = readSection(stdout, 'pgsql');
  const status = sql.ok ? parseStatus(sql.text) : null;
  if (status)
    return {
      ok: true,
      value: status.inRecovery ? { role: 'standby', lagSeconds: status.lagSeconds } : { role: 'primary' },
    };
  // Not answering is fine only when pg_ctl proves it is stopped.
  if (ctl === PG_CTL_STOPPED) return { ok: true, value: { role: 'stopped' } };
  const answer = sql.ok ? clip(sql.text) || 'no answer' : sql.why;
  const ctlText =
    ctl === PG_CTL_RUNNING
      ? 'pg_ctl status says it is running'
      : ctl === null
        ? `pg_ctl status gave no answer`
        : `pg_ctl status exited ${ctl}`;
  return unknown(
    `PostgreSQL did not answer a query (${answer}) and ${ctlText}: check the port, socket directory and host of the group's data`,
  );
}

function readUnits(stdout: string, units: readonly string[]): Known<Map<string, string>> {
  const read = readSection(stdout, 'units');
  if (!read.ok) return unknown(`the unit list could not be read (${read.why})`);
  const states = new Map<string, string>();
  for (const line of read.text.split('\n')) {
    const [unit, state] = line.trim().split(/\s+/, 2);
    if (unit && state && LOAD_STATES.includes(state)) states.set(unit, state);
  }
  const unread = units.filter((u) => !states.has(u));
  if (unread.length > 0)
    return unknown(`no load state for ${unread.join(', ')} (${clip(read.text) || 'nothing printed'})`);
  return { ok: true, value: states };
}

/** Judge a member read's output: every part proven, or unknown with why. */
export function parseMemberRead(server: Server, request: ReadRequest, stdout: string): MemberFacts {
  const complete = stdout.split('\n').includes(READ_COMPLETE);
  const cut = complete ? '' : ' (the read was cut short)';
  const os = readSection(stdout, 'os');
  const osName = os.ok ? os.text.split('\n')[0].trim() : '';
  const addresses = readSection(stdout, 'addresses');
  let addressFacts: Known<InterfaceAddress[]> = unknown(
    `the address list could not be read (${addresses.ok ? '' : addresses.why})${cut}`,
  );
  if (addresses.ok && complete) {
    const parsed = parseAddresses(server.os, addresses.text);
    const insane = addressSanityProblem(server, parsed);
    addressFacts = insane ? unknown(`the address list does not prove itself: ${insane}`) : { ok: true, value: parsed };
  }
  let links: Known<InterfaceLink[]> | null = null;
  if (request.links) {
    const read = readSection(stdout, 'links');
    const parsed = read.ok ? parseLinks(server.os, read.text) : [];
    links =
      read.ok && parsed.length > 0
        ? { ok: true, value: parsed }
        : unknown(`the interface list could not be read (${read.ok ? 'nothing parsed' : read.why})`);
  }
  return {
    os:
      os.ok && /^[A-Za-z]+$/.test(osName)
        ? { ok: true, value: osName }
        : unknown(`uname -s did not answer (${os.ok ? clip(os.text) : os.why})`),
    addresses: addressFacts,
    links,
    postgres: request.pg
      ? complete
        ? readPostgres(stdout, request.pg)
        : unknown(`PostgreSQL was not read${cut}`)
      : null,
    units: request.units.length > 0 ? readUnits(stdout, request.units) : null,
  };
}

/** Read one member (audited); the SSH outcome comes back too, for reachability. */
export async function readMember(
  scope: ExecScope,
  server: Server,
  purpose: string,
  request: ReadRequest,
  timeoutMs: number,
): Promise<{ outcome: RemoteOutcome; facts: MemberFacts | null }> {
  const outcome = await auditedExec(scope, server, purpose, memberReadScript(server, request), {
    readOnly: true,
    quick: true,
    timeoutMs,
  });
  if (outcome.kind === 'ok') return { outcome, facts: parseMemberRead(server, request, outcome.result.stdout) };
  if (outcome.kind !== 'failed') return { outcome, facts: null };
  // It answered, but the read itself did not end well: nothing in it counts.
  const why = unknown(
    `the read exited ${outcome.result.code}: ${clip(outcome.result.stderr || outcome.result.stdout)}`,
  );
  return {
    outcome,
    facts: {
      os: why,
      addresses: why,
      links: request.links ? why : null,
      postgres: request.pg ? why : null,
      units: request.units.length > 0 ? why : null,
    },
  };
}

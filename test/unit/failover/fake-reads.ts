/**
 * How the fake hosts answer the proven reads (electron/failover/member-read.ts) and the PostgreSQL
 * scripts' search for the cluster and pg_ctl, including the ways real hosts fail them: a tool
 * missing (exit 127), garbage printed with exit 0, the member's own address missing from the
 * list, output cut short before the end lines, a wrong OS, pg_ctl not found, no cluster.
 */
import { READ_COMPLETE } from '../../../electron/failover/member-read';

/** A way a host's tool fails. */
export type ToolFault = 'missing' | 'garbage' | 'no-own-address' | 'cut';

export interface ReadableHost {
  addresses: { interface: string; address: string; prefix: number }[];
  postgres?: { running: boolean; inRecovery: boolean; lagSeconds: number };
  installedUnits?: Set<string>;
  /** What `uname -s` prints (default Linux). */
  os?: string;
  /** Interfaces and whether each is up (default: every interface of `addresses`, up). */
  links?: { interface: string; up: boolean }[];
  /** Tools that fail. `pg`: pg_ctl not found anywhere; `cluster`: the data directory holds no PG_VERSION. */
  faults?: Partial<Record<'uname' | 'ip' | 'pg' | 'cluster' | 'systemctl', ToolFault>>;
}

const section = (name: string, text: string, code: number) =>
  `--- lifeboat: begin ${name}\n${text}${text && !text.endsWith('\n') ? '\n' : ''}\n--- lifeboat: end ${name} ${code}\n`;

function addressText(host: ReadableHost, dropOwn: string[]): string {
  return host.addresses
    .filter((a) => !dropOwn.includes(a.address))
    .map(
      (a, i) =>
        `${i + 2}: ${a.interface}    inet ${a.address}/${a.prefix} brd 10.77.0.255 scope global ${a.interface}\\       valid_lft forever preferred_lft forever`,
    )
    .join('\n');
}

/** The answer to a member read, or null when the script is not one. */
export function memberReadAnswer(
  host: ReadableHost,
  script: string,
  ownAddresses: string[],
): { stdout: string; code: number } | null {
  if (!script.startsWith("echo '--- lifeboat: begin os'")) return null;
  const faults = host.faults ?? {};
  let out =
    faults.uname === 'missing' ? section('os', 'sh: 1: uname: not found', 127) : section('os', host.os ?? 'Linux', 0);
  if (faults.ip === 'cut') return { stdout: `${out}--- lifeboat: begin addresses\n2: eth0    inet`, code: 0 };
  if (faults.ip === 'missing') out += section('addresses', 'sh: 1: ip: not found', 127);
  else if (faults.ip === 'garbage') out += section('addresses', 'Object "addr" is unknown, try "ip help".', 0);
  else out += section('addresses', addressText(host, faults.ip === 'no-own-address' ? ownAddresses : []), 0);
  if (script.includes("echo '--- lifeboat: begin links'")) {
    const links =
      host.links ?? [...new Set(host.addresses.map((a) => a.interface))].map((itf) => ({ interface: itf, up: true }));
    const text = [
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN',
      ...links.map(
        (l, i) =>
          `${i + 2}: ${l.interface}@if${i + 9}: <BROADCAST,MULTICAST${l.up ? ',UP,LOWER_UP' : ''}> mtu 1500 qdisc noqueue state ${l.up ? 'UP' : 'DOWN'}`,
      ),
    ].join('\n');
    out += faults.ip === 'missing' ? section('links', 'sh: 1: ip: not found', 127) : section('links', text, 0);
  }
  if (script.includes("echo '--- lifeboat: begin pgfind'")) {
    const found = findAnswer(host);
    out += section('pgfind', found.text, 0);
    const pg = host.postgres;
    if (found.code !== 0) out += section('pgctl', '', 1) + section('pgsql', '', 1);
    else {
      out += section('pgctl', `lifeboat: pg_ctl status ${pg?.running ? 0 : 3}`, 0);
      out += pg?.running
        ? section('pgsql', `${pg.inRecovery ? 't' : 'f'}|${pg.inRecovery ? pg.lagSeconds : 0}`, 0)
        : section(
            'pgsql',
            'psql: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: No such file or directory',
            2,
          );
    }
  }
  const units = /for u in ((?:'[^']+' ?)+); do/.exec(script);
  if (script.includes("echo '--- lifeboat: begin units'") && units) {
    const names = [...units[1].matchAll(/'([^']+)'/g)].map((m) => m[1]);
    out +=
      faults.systemctl === 'missing'
        ? section('units', '', 1)
        : section(
            'units',
            names
              .map((u) => `${u} ${!host.installedUnits || host.installedUnits.has(u) ? 'loaded' : 'not-found'}`)
              .join('\n'),
            0,
          );
  }
  return { stdout: `${out}${READ_COMPLETE}\n`, code: 0 };
}

/** What the search for the cluster and pg_ctl prints, and the exit status a find-first script stops with (0: found). */
export function findAnswer(host: ReadableHost): { text: string; code: number } {
  const faults = host.faults ?? {};
  const version = host.postgres && !faults.cluster ? '15' : '';
  const bin = version && !faults.pg ? '/usr/lib/postgresql/15/bin' : '';
  const text = `lifeboat: cluster ${version}\nlifeboat: bin ${bin}\n`;
  if (!version) return { text: `${text}lifeboat: no PostgreSQL cluster in '/srv/pgdata' (no PG_VERSION)\n`, code: 90 };
  if (!bin) return { text: `${text}lifeboat: no pg_ctl of version 15 found\n`, code: 91 };
  return { text, code: 0 };
}

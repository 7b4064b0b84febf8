/**
 * The exact commands a person types during a failover, per operating system, as the printed plan
 * shows them. Values come from the validated inventory; anything that is not a plain word is POSIX
 * single-quoted, so a strange path or exclude pattern stays one argument.
 */
import type { Server } from '../../shared/domain';
import { isIpv6 } from '../../shared/validation';

type Os = Server['os'];

const PLAIN = /^[A-Za-z0-9_./:@%+=,-]+$/;

/** POSIX single-quoting, left off for plain words so the printed command reads naturally. */
export function shellWord(value: string): string {
  if (value !== '' && PLAIN.test(value) && !value.startsWith('-')) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const words = (values: readonly string[]) => values.map(shellWord).join(' ');

export interface VipOnInterface {
  address: string;
  prefix: number;
  interface: string;
}

/** Remove a virtual IP from an interface. */
export function releaseVip(os: Os, vip: VipOnInterface): string {
  if (os === 'openbsd') return `ifconfig ${shellWord(vip.interface)} ${family(vip.address)} ${vip.address} delete`;
  return `ip addr del ${vip.address}/${vip.prefix} dev ${shellWord(vip.interface)}`;
}

/** Add a virtual IP to an interface. */
export function acquireVip(os: Os, vip: VipOnInterface): string {
  if (os === 'openbsd')
    return `ifconfig ${shellWord(vip.interface)} ${family(vip.address)} ${vip.address}/${vip.prefix} alias`;
  return `ip addr add ${vip.address}/${vip.prefix} dev ${shellWord(vip.interface)}`;
}

/** Show the address when the interface holds it (matched by address, whatever the prefix). */
export function showVip(os: Os, vip: VipOnInterface): string {
  if (os === 'openbsd')
    return `ifconfig ${shellWord(vip.interface)} | grep -F -- ${shellWord(`${family(vip.address)} ${vip.address} `)}`;
  return `ip -o addr show dev ${shellWord(vip.interface)} to ${vip.address}/${isIpv6(vip.address) ? 128 : 32}`;
}

/** Check nobody else answers for the address before taking it. */
export function probeDuplicate(os: Os, vip: VipOnInterface): { command: string; expect: string } {
  if (os === 'linux' && !isIpv6(vip.address)) {
    return {
      command: `arping -D -c 2 -I ${shellWord(vip.interface)} ${vip.address}`,
      expect: 'no replies (exit status 0): nobody holds the address',
    };
  }
  return {
    command: `ping${isIpv6(vip.address) && os === 'linux' ? ' -6' : ''} -c 2 ${vip.address}`,
    expect: 'no answer (100% packet loss): nobody holds the address',
  };
}

/** Tell the switches and clients where the address lives now; null where the system does it itself. */
export function announceVip(os: Os, vip: VipOnInterface): string | null {
  if (os === 'linux' && !isIpv6(vip.address)) return `arping -U -c 3 -I ${shellWord(vip.interface)} ${vip.address}`;
  return null;
}

/** Start, stop or check system services (systemd units or rc.d daemons). */
export function unitCommand(os: Os, action: 'start' | 'stop' | 'check', units: readonly string[]): string {
  if (os === 'openbsd') return `rcctl ${action === 'check' ? 'check' : action} ${words(units)}`;
  return `systemctl ${action === 'check' ? 'is-active' : action} ${words(units)}`;
}

/** Run a command as another OS user (runuser on Linux; su on OpenBSD, which needs it as one argument). */
export function asUser(os: Os, user: string, command: string): string {
  if (os === 'linux') return `runuser -u ${shellWord(user)} -- ${command}`;
  return `su -s /bin/sh ${shellWord(user)} -c ${shellWord(command)}`;
}

/** Run one SQL statement through psql as the database's OS user. */
export function psql(os: Os, spec: { osUser: string; port: number; database: string }, sql: string): string {
  return asUser(os, spec.osUser, `psql -p ${spec.port} -d ${shellWord(spec.database)} -Atc ${shellWord(sql)}`);
}

/** Copy synced paths from this host to another (run on the current holder of the group's VIP). */
export function rsyncTo(
  paths: readonly string[],
  excludes: readonly string[],
  target: { user: string; host: string },
): string[] {
  const excludeFlags = excludes.map((e) => `--exclude=${shellWord(e)}`);
  return paths.map((p) => {
    const dir = p.endsWith('/') ? p : `${p}/`;
    const protect = shellWord(dir) !== dir ? ['--protect-args'] : [];
    return [
      'rsync',
      '-aH',
      ...protect,
      ...excludeFlags,
      '--',
      shellWord(dir),
      shellWord(`${target.user}@${target.host}:${dir}`),
    ].join(' ');
  });
}

/** Log in to a server from the admin's laptop, through its jump host when it has one. */
export function sshLogin(server: Server, jump: Server | undefined, command: string): string {
  const port = server.ssh.port === 22 ? '' : ` -p ${server.ssh.port}`;
  const via = jump
    ? ` -J ${shellWord(`${jump.ssh.user}@${jump.ssh.host}${jump.ssh.port === 22 ? '' : `:${jump.ssh.port}`}`)}`
    : '';
  return `ssh${via}${port} ${shellWord(`${server.ssh.user}@${server.ssh.host}`)} ${command}`;
}

function family(address: string): 'inet' | 'inet6' {
  return isIpv6(address) ? 'inet6' : 'inet';
}

/**
 * Reading who holds a virtual IP, matched by address whatever the prefix (a /24 and a /32 of one
 * address are the same VIP), on Linux (`ip -o addr show`) and OpenBSD (`ifconfig -A`).
 */
import type { Server } from '../../../shared/domain';
import { ipProblem, isIpv6 } from '../../../shared/validation';

/** One address configured on one interface. */
export interface InterfaceAddress {
  interface: string;
  address: string;
  prefix: number;
  /** Linux flags such as "tentative" or "dadfailed". */
  flags: string[];
}

/** The read-only command that lists every address of a server. */
export function listAddressesScript(os: Server['os']): string {
  return os === 'openbsd' ? 'ifconfig -A' : 'ip -o addr show';
}

const LINUX_LINE = /^\d+:\s+(\S+?)(?:@\S+)?\s+(inet6?)\s+([0-9a-fA-F.:]+)\/(\d+)(.*)$/;

function netmaskPrefix(mask: string): number {
  const value = Number.parseInt(mask.replace(/^0x/i, ''), 16);
  let bits = 0;
  for (let i = 31; i >= 0 && (value >>> i) & 1; i--) bits++;
  return bits;
}

/** Parse the address list; odd lines are ignored, never thrown on. */
export function parseAddresses(os: Server['os'], stdout: string): InterfaceAddress[] {
  const found: InterfaceAddress[] = [];
  if (os === 'openbsd') {
    let current = '';
    for (const line of stdout.split('\n')) {
      const header = /^([A-Za-z0-9_.:-]+): flags=/.exec(line);
      if (header) {
        current = header[1];
        continue;
      }
      const inet = /^\s+inet\s+([0-9.]+)\s+netmask\s+(0x[0-9a-fA-F]+)/.exec(line);
      if (inet && current)
        found.push({ interface: current, address: inet[1], prefix: netmaskPrefix(inet[2]), flags: [] });
      const inet6 = /^\s+inet6\s+([0-9a-fA-F:]+)(?:%\S+)?\s+prefixlen\s+(\d+)(.*)$/.exec(line);
      if (inet6 && current)
        found.push({
          interface: current,
          address: inet6[1].toLowerCase(),
          prefix: Number(inet6[2]),
          flags: inet6[3].trim().split(/\s+/).filter(Boolean),
        });
    }
    return found;
  }
  for (const line of stdout.split('\n')) {
    const m = LINUX_LINE.exec(line);
    if (!m) continue;
    const flags = m[5]
      .split('\\')[0]
      .trim()
      .split(/\s+/)
      .filter((w) => ['tentative', 'dadfailed', 'deprecated'].includes(w));
    found.push({ interface: m[1], address: m[3].toLowerCase(), prefix: Number(m[4]), flags });
  }
  return found;
}

/** Where `address` is configured, if anywhere (an address the kernel refused as duplicate does not count). */
export function findAddress(addresses: readonly InterfaceAddress[], address: string): InterfaceAddress | undefined {
  return addresses.find((a) => a.address === address.toLowerCase() && !a.flags.includes('dadfailed'));
}

/** Dotted netmask of an IPv4 prefix (OpenBSD ifconfig). */
export function netmaskOf(prefix: number): string {
  const bits = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 255).join('.');
}

/** "inet" or "inet6". */
export const familyOf = (address: string): 'inet' | 'inet6' => (isIpv6(address) ? 'inet6' : 'inet');

/** One network interface: whether it is up (administratively) and has a carrier. */
export interface InterfaceLink {
  interface: string;
  up: boolean;
  carrier: boolean;
}

/** The read-only command that lists every interface with its flags. */
export function listLinksScript(os: Server['os']): string {
  return os === 'openbsd' ? 'ifconfig -a' : 'ip -o link show';
}

/** Parse the interface list (`ip -o link show`: `2: eth0@if5: <BROADCAST,UP,LOWER_UP> …`; OpenBSD: `em0: flags=8843<UP,…>` and `status: active`). */
export function parseLinks(os: Server['os'], stdout: string): InterfaceLink[] {
  const found: InterfaceLink[] = [];
  if (os === 'openbsd') {
    for (const line of stdout.split('\n')) {
      const header = /^([A-Za-z0-9_.:-]+): flags=[0-9a-fA-F]+<([^>]*)>/.exec(line);
      if (header) {
        const flags = header[2].split(',');
        found.push({ interface: header[1], up: flags.includes('UP'), carrier: flags.includes('RUNNING') });
      }
      const status = /^\s+status: (.+)$/.exec(line);
      const last = found[found.length - 1];
      if (status && last) last.carrier = last.carrier && !/no carrier/.test(status[1]);
    }
    return found;
  }
  for (const line of stdout.split('\n')) {
    const m = /^\d+:\s+([^:@\s]+)(?:@[^:\s]+)?:\s+<([^>]*)>/.exec(line);
    if (!m) continue;
    const flags = m[2].split(',');
    found.push({ interface: m[1], up: flags.includes('UP'), carrier: flags.includes('LOWER_UP') });
  }
  return found;
}

/**
 * The sanity check of an address list: one of the server's own addresses (its SSH host when that
 * is an IP, and the addresses the inventory lists) is in it. Null when it passes, else why not.
 * A list that parsed to nothing, or to loopback only, never passes: a tool that printed nothing
 * (or something else) has not shown that the address is absent.
 */
export function addressSanityProblem(server: Server, addresses: readonly InterfaceAddress[]): string | null {
  const own = new Set(server.addresses.map((a) => a.toLowerCase()));
  if (ipProblem(server.ssh.host) === null) own.add(server.ssh.host.toLowerCase());
  if (own.size > 0) {
    if (addresses.some((a) => own.has(a.address))) return null;
    return `its own address (${[...own].join(', ')}) is not in the list it printed (${addresses.length} address${addresses.length === 1 ? '' : 'es'} parsed)`;
  }
  const real = addresses.filter((a) => !a.address.startsWith('127.') && a.address !== '::1');
  return real.length > 0 ? null : 'it printed no address besides loopback';
}

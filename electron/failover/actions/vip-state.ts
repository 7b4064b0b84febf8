/**
 * Reading who holds a virtual IP, matched by address whatever the prefix (a /24 and a /32 of one
 * address are the same VIP), on Linux (`ip -o addr show`) and OpenBSD (`ifconfig -A`).
 */
import type { Server } from '../../../shared/domain';
import { isIpv6 } from '../../../shared/validation';

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
      if (header) { current = header[1]; continue; }
      const inet = /^\s+inet\s+([0-9.]+)\s+netmask\s+(0x[0-9a-fA-F]+)/.exec(line);
      if (inet && current) found.push({ interface: current, address: inet[1], prefix: netmaskPrefix(inet[2]), flags: [] });
      const inet6 = /^\s+inet6\s+([0-9a-fA-F:]+)(?:%\S+)?\s+prefixlen\s+(\d+)(.*)$/.exec(line);
      if (inet6 && current) found.push({ interface: current, address: inet6[1].toLowerCase(), prefix: Number(inet6[2]), flags: inet6[3].trim().split(/\s+/).filter(Boolean) });
    }
    return found;
  }
  for (const line of stdout.split('\n')) {
    const m = LINUX_LINE.exec(line);
    if (!m) continue;
    const flags = m[5].split('\\')[0].trim().split(/\s+/).filter((w) => ['tentative', 'dadfailed', 'deprecated'].includes(w));
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

/**
 * What a virtual IP may be. A VIP is released and acquired by Lifeboat, so an address the hosts need
 * for themselves (a member's own address: releasing it cuts the management path), or one the kernel
 * treats specially (loopback, multicast, broadcast, the network address, unspecified, IPv4
 * link-local), is refused where it enters. Pure: used by the schemas, the save rules and the plan
 * import alike (docs/safety.md, "Bad input").
 */
import type { z } from 'zod';
import { ipProblem, isIpv6, prefixProblem } from '../validation';

/** An address as a number (IPv4: 32 bits, IPv6: 128 bits); the caller has checked it is canonical. */
export function addressValue(address: string): bigint {
  if (!isIpv6(address)) return address.split('.').reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
  const [head, tail] = address.includes('::') ? address.split('::') : [address, ''];
  const front = head ? head.split(':') : [];
  const back = tail ? tail.split(':') : [];
  const groups = [...front, ...Array(8 - front.length - back.length).fill('0'), ...back];
  return groups.reduce((n, group) => (n << 16n) | BigInt(parseInt(group, 16)), 0n);
}

const bits = (address: string): number => (isIpv6(address) ? 128 : 32);

/** The host part of an address under a prefix length. */
function hostMask(address: string, prefix: number): bigint {
  return (1n << BigInt(bits(address) - prefix)) - 1n;
}

/** Whether two addresses of one family fall in one network of `prefix` bits. */
export function sameSubnet(a: string, b: string, prefix: number): boolean {
  if (isIpv6(a) !== isIpv6(b) || ipProblem(a) || ipProblem(b)) return false;
  const mask = hostMask(a, prefix);
  return (addressValue(a) & ~mask) === (addressValue(b) & ~mask);
}

/** Whether `address` lies in `network`/`prefix`. */
function within(address: string, network: string, prefix: number): boolean {
  return sameSubnet(address, network, prefix);
}

/**
 * Why an address cannot be a VIP on a network of `prefix` bits, or null. The address must already
 * be canonical (ipProblem); the prefix valid for its family.
 */
export function vipAddressProblem(address: string, prefix: number): string | null {
  if (ipProblem(address)) return null;
  const v6 = isIpv6(address);
  const value = addressValue(address);
  if (v6) {
    if (value === 0n) return `${address} is the unspecified address, not a VIP`;
    if (value === 1n) return `${address} is the loopback address, not a VIP`;
    if (within(address, 'ff00::', 8)) return `${address} is a multicast address, not a VIP`;
  } else {
    if (within(address, '0.0.0.0', 8)) return `${address} is unspecified ("this network", 0.0.0.0/8), not a VIP`;
    if (within(address, '127.0.0.0', 8)) return `${address} is a loopback address (127.0.0.0/8), not a VIP`;
    if (within(address, '224.0.0.0', 4)) return `${address} is a multicast address (224.0.0.0/4), not a VIP`;
    if (address === '255.255.255.255') return `${address} is the broadcast address, not a VIP`;
    if (within(address, '169.254.0.0', 16))
      return `${address} is IPv4 link-local (169.254.0.0/16): it is never routed, not a VIP`;
  }
  if (!Number.isInteger(prefix) || prefix < 1 || prefix > bits(address)) return null;
  // A /31 (RFC 3021), /32, /127 or /128 has no network or broadcast address to avoid.
  if (bits(address) - prefix >= 2) {
    const mask = hostMask(address, prefix);
    if ((value & mask) === 0n) return `${address} is the network address of ${address}/${prefix}, not a usable VIP`;
    if (!v6 && (value & mask) === mask)
      return `${address} is the broadcast address of ${address}/${prefix}, not a usable VIP`;
  }
  return null;
}

/** A server as far as the VIP rules need it: its name, listed addresses and SSH host. */
export interface AddressedServer {
  id?: number;
  name: string;
  addresses: readonly string[];
  ssh: { host: string };
}

/** Every address a server is known by: its listed addresses and an SSH host written as an address. */
export function ownAddresses(server: AddressedServer): string[] {
  const host = server.ssh.host;
  const all = ipProblem(host) ? [...server.addresses] : [...server.addresses, host];
  return [...new Set(all)];
}

/** The server whose own address `address` is, if any. */
export function serverOwning<S extends AddressedServer>(servers: readonly S[], address: string): S | undefined {
  return servers.find((server) => ownAddresses(server).includes(address));
}

/**
 * Why a VIP does not fit the subnet of a member's interface, or null. Known only where the server
 * lists an address of the VIP's family: then one of them must share the VIP's network.
 */
export function subnetProblem(vip: { address: string; prefix: number }, member: AddressedServer): string | null {
  const family = ownAddresses(member).filter((a) => isIpv6(a) === isIpv6(vip.address));
  if (family.length === 0) return null;
  if (family.some((a) => sameSubnet(a, vip.address, vip.prefix))) return null;
  return `${vip.address}/${vip.prefix} is outside the subnet of ${member.name} (${family.join(', ')}): its interface could not carry it (fix the prefix, or list ${member.name}'s address on that network)`;
}

/**
 * The schema rule of every VIP (group form, plan file, VIP steps): checked once the address itself
 * is valid, a prefix valid for its family, then an address usable as a VIP (on the address field).
 */
export function refineVip(vip: { address: string; prefix: number }, ctx: z.RefinementCtx): void {
  if (ipProblem(vip.address)) return;
  const message = prefixProblem(vip.address, vip.prefix);
  if (message) ctx.addIssue({ code: 'custom', message, path: ['prefix'] });
  const unusable = vipAddressProblem(vip.address, vip.prefix);
  if (unusable) ctx.addIssue({ code: 'custom', message: unusable, path: ['address'] });
}

/**
 * Allowlist validators for every value that may one day reach a remote command.
 * Hand-written on purpose (docs/safety.md): these are the security boundary, together with quoting.
 * Each returns null when the value is acceptable, or a sentence saying why it is not.
 */

const DECIMAL_OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** Canonical dotted-quad IPv4 only: no leading zeros, no short forms, no hex, no trailing junk. */
export function ipv4Problem(value: string): string | null {
  if (typeof value !== 'string' || value.length === 0) return 'an IPv4 address is required';
  if (!/^[0-9.]+$/.test(value)) return `"${printable(value)}" is not an IPv4 address (digits and dots only)`;
  const parts = value.split('.');
  if (parts.length !== 4) return `"${value}" is not an IPv4 address (it needs four numbers, like 192.0.2.10)`;
  for (const part of parts) {
    if (!DECIMAL_OCTET.test(part))
      return `"${value}" is not a canonical IPv4 address (no leading zeros or empty parts)`;
    if (Number(part) > 255) return `"${value}" is not an IPv4 address (${part} is above 255)`;
  }
  return null;
}

/** IPv6 in RFC 5952 canonical text form (lower case, zero-compressed once, no leading zeros). */
export function ipv6Problem(value: string): string | null {
  if (typeof value !== 'string' || value.length === 0) return 'an IPv6 address is required';
  if (!/^[0-9a-f:]+$/.test(value))
    return `"${printable(value)}" is not a canonical IPv6 address (lower-case hex and colons only)`;
  const halves = value.split('::');
  if (halves.length > 2) return `"${value}" is not an IPv6 address ("::" may appear once)`;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (groups.some((g) => g.length === 0 || g.length > 4)) return `"${value}" is not an IPv6 address (bad group)`;
  if (groups.some((g) => g.length > 1 && g.startsWith('0')))
    return `"${value}" is not canonical (leading zeros in a group)`;
  if (halves.length === 1 && groups.length !== 8) return `"${value}" is not an IPv6 address (it needs eight groups)`;
  if (halves.length === 2 && groups.length > 7) return `"${value}" is not an IPv6 address (too many groups)`;
  if (canonicalIpv6(value) !== value)
    return `"${value}" is not in canonical form (write it as ${canonicalIpv6(value)})`;
  return null;
}

function canonicalIpv6(value: string): string {
  const [head, tail] = value.includes('::') ? value.split('::') : [value, null];
  const h = head ? head.split(':') : [];
  const t = tail === null ? [] : tail ? tail.split(':') : [];
  const missing = 8 - h.length - t.length;
  const full = [...h, ...Array(tail === null ? 0 : missing).fill('0'), ...t].map((g) => parseInt(g, 16).toString(16));
  // RFC 5952: compress the longest run (length >= 2) of zero groups, the first one on a tie.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (full[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && full[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return full.join(':');
  return `${full.slice(0, best).join(':')}::${full.slice(best + bestLen).join(':')}`;
}

/** Either family, canonical form only. */
export function ipProblem(value: string): string | null {
  if (typeof value === 'string' && value.includes(':')) return ipv6Problem(value);
  return ipv4Problem(value);
}

export function isIpv6(value: string): boolean {
  return value.includes(':');
}

/** Prefix length valid for the address family. */
export function prefixProblem(address: string, prefix: number): string | null {
  const max = isIpv6(address) ? 128 : 32;
  if (!Number.isInteger(prefix) || prefix < 1 || prefix > max) return `prefix must be a whole number from 1 to ${max}`;
  return null;
}

/** Network interface names: Linux and OpenBSD style, never starting with a dash. */
export function interfaceProblem(value: string): string | null {
  if (typeof value !== 'string' || value.length === 0) return 'an interface name is required';
  if (value.length > 15) return `"${printable(value)}" is too long for an interface name (15 characters at most)`;
  if (value.startsWith('-')) return `"${printable(value)}" may not start with "-"`;
  if (!/^[A-Za-z0-9_.:-]+$/.test(value))
    return `"${printable(value)}" is not an interface name (letters, digits, _ . : - only)`;
  return null;
}

/** systemd unit names and OpenBSD rc.d service names. */
export function unitProblem(value: string): string | null {
  if (typeof value !== 'string' || value.length === 0) return 'a service name is required';
  if (value.length > 255) return 'service name is too long';
  if (value.startsWith('-')) return `"${printable(value)}" may not start with "-"`;
  if (!/^[A-Za-z0-9_.@:\\-]+$/.test(value))
    return `"${printable(value)}" is not a service name (letters, digits, _ . @ : - \\ only)`;
  return null;
}

/** Absolute paths without "..", NUL, newlines or other control characters. */
export function absolutePathProblem(value: string): string | null {
  if (typeof value !== 'string' || value.length === 0) return 'a path is required';
  if (!value.startsWith('/')) return `"${printable(value)}" must be an absolute path (start with /)`;
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'path may not contain control characters, newlines or NUL';
  if (value.split('/').some((part) => part === '..')) return `"${printable(value)}" may not contain ".."`;
  if (value.length > 4096) return 'path is too long';
  return null;
}

/** A DNS host name (RFC 1123 labels) or a canonical IP address. */
export function hostProblem(value: string): string | null {
  if (typeof value !== 'string' || value.length === 0) return 'a host name or address is required';
  if (/^[0-9.]+$/.test(value) || value.includes(':')) return ipProblem(value);
  if (value.length > 253) return 'host name is too long';
  const label = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
  if (!value.split('.').every((l) => label.test(l))) {
    return `"${printable(value)}" is not a host name (letters, digits and "-" in dot-separated parts; no spaces)`;
  }
  return null;
}

/** A POSIX user name as accepted by useradd's default policy. */
export function userProblem(value: string): string | null {
  if (typeof value !== 'string' || value.length === 0) return 'a user name is required';
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(value))
    return `"${printable(value)}" is not a user name (lower-case letters, digits, _ and -)`;
  return null;
}

/** TCP port 1-65535 as a whole number. */
export function portProblem(value: number): string | null {
  if (!Number.isInteger(value) || value < 1 || value > 65535) return 'port must be a whole number from 1 to 65535';
  return null;
}

/** Show control characters visibly in an error message instead of echoing them raw. */
export function printable(value: string): string {
  return String(value)
    .replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .slice(0, 80);
}

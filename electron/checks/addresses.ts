/**
 * Which addresses a host holds, read from `ip -o addr show` (Linux) or `ifconfig` (OpenBSD), and
 * address equality whatever the prefix or spelling: 10.0.0.10/24 and 10.0.0.10/32 are one VIP.
 */

/** One address seen on an interface. */
export interface HeldAddress {
  address: string;
  interface: string;
}

/** A comparable form of an IPv4 or IPv6 address, or null when the text is neither. */
export function addressKey(text: string): string | null {
  const value = text
    .trim()
    .toLowerCase()
    .replace(/%.*$/, '')
    .replace(/\/[0-9]+$/, '');
  if (/^[0-9]{1,3}(\.[0-9]{1,3}){3}$/.test(value)) {
    const octets = value.split('.').map(Number);
    return octets.every((o) => o <= 255) ? `4:${octets.join('.')}` : null;
  }
  if (!/^[0-9a-f:.]+$/.test(value) || !value.includes(':')) return null;
  const halves = value.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  // An embedded IPv4 tail (::ffff:10.0.0.1) counts as two groups.
  const expand = (list: string[]) =>
    list.flatMap((g) => {
      if (!g.includes('.')) return [g];
      const key = addressKey(g);
      if (!key) return ['x'];
      const [a, b, c, d] = key.slice(2).split('.').map(Number);
      return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    });
  const h = expand(head);
  const t = expand(tail);
  const missing = 8 - h.length - t.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...h, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...t];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return `6:${all.map((g) => parseInt(g, 16).toString(16)).join(':')}`;
}

/** True when both texts name the same address. */
export function sameAddress(a: string, b: string): boolean {
  const ka = addressKey(a);
  return ka !== null && ka === addressKey(b);
}

/** Every address in the output of `ip -o addr show` or `ifconfig`; other lines are ignored. */
export function parseHeldAddresses(output: string): HeldAddress[] {
  const held: HeldAddress[] = [];
  let current = '';
  for (const line of output.split('\n').slice(0, 10_000)) {
    const linux = /^[0-9]+:\s+(\S+)\s+inet6?\s+([0-9A-Fa-f.:]+)(?:%\S+)?\/[0-9]+/.exec(line);
    if (linux) {
      held.push({ interface: linux[1].replace(/@.*$/, '').replace(/:$/, ''), address: linux[2] });
      continue;
    }
    const header = /^([A-Za-z0-9_.-]+): flags=/.exec(line);
    if (header) {
      current = header[1];
      continue;
    }
    const bsd = /^\s+inet6?\s+([0-9A-Fa-f.:]+)(?:%\S+)?(\s|$)/.exec(line);
    if (bsd) held.push({ interface: current, address: bsd[1] });
  }
  return held.filter((h) => addressKey(h.address) !== null);
}

/** An http(s) URL as checks and alert webhooks take it: parsed into checked parts, or refused with why. */
import { z } from 'zod';
import { hostProblem, ipv6Problem, printable } from './validation';

const HTTP_PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*$/;

/** An http(s) URL split into checked parts; the host passes the allowlist, IPv6 in brackets. */
export interface HttpTarget {
  scheme: 'http' | 'https';
  host: string;
  port: number | null;
  path: string;
}

/** Parse a URL for the http check, or say why it is refused. Credentials and fragments are refused. */
export function parseHttpUrl(url: string): HttpTarget | string {
  if (typeof url !== 'string' || url.length === 0) return 'a URL is required';
  if (url.length > 2000) return 'the URL is too long (2000 characters at most)';
  const match = /^(https?):\/\/(\[[0-9a-f:]+\]|[^/:?#[\]@]+)(?::([0-9]{1,5}))?(\/[^#]*)?$/.exec(url);
  if (!match) return `"${printable(url)}" is not an http:// or https:// URL (no user name, no #fragment)`;
  const [, scheme, rawHost, rawPort, rawPath] = match;
  const bracketed = rawHost.startsWith('[');
  const host = bracketed ? rawHost.slice(1, -1) : rawHost;
  const hostIssue = bracketed
    ? ipv6Problem(host)
    : host.includes(':')
      ? 'an IPv6 address goes in brackets'
      : hostProblem(host);
  if (hostIssue) return hostIssue;
  const port = rawPort === undefined ? null : Number(rawPort);
  if (port !== null && (port < 1 || port > 65535 || rawPort.startsWith('0')))
    return 'the port must be a whole number from 1 to 65535';
  const path = rawPath ?? '/';
  if (!HTTP_PATH.test(path))
    return 'the path may contain letters, digits and URL punctuation only (no spaces or control characters)';
  if (path.split(/[/?]/).some((part) => part === '..')) return 'the path may not contain ".."';
  return { scheme: scheme as 'http' | 'https', host, port, path };
}

/** A string that parseHttpUrl accepts. */
export const HttpUrl = z.string().superRefine((value, ctx) => {
  const parsed = parseHttpUrl(value);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
});

/**
 * Import hosts from OpenSSH client configuration text (~/.ssh/config) as server drafts: Host,
 * HostName, User, Port, IdentityFile and ProxyJump, with OpenSSH's "first value wins" rule across
 * every matching Host block. Wildcard patterns only supply defaults; Include and Match are
 * reported, not followed. Nothing is saved here: the operator reviews the drafts first.
 */
import os from 'node:os';
import type { z } from 'zod';
import { ServerDraft } from '../../shared/domain';
import { formatPath } from '../../shared/errors';
import { absolutePathProblem, hostProblem, portProblem, printable, userProblem } from '../../shared/validation';

/** One Host alias of the file, as a draft for the inventory. */
export interface SshConfigHost {
  alias: string;
  /** The line of the Host statement that names it. */
  line: number;
  /** The draft with the domain's defaults filled in, or null when a problem makes it unusable. */
  draft: z.output<typeof ServerDraft> | null;
  /** The Host alias of its ProxyJump, to be saved first and chosen as its jump server. */
  jumpAlias: string | null;
  problems: string[];
}

/** The whole import: one entry per concrete alias, and problems that belong to no host. */
export interface SshConfigImport {
  hosts: SshConfigHost[];
  problems: { line: number; message: string }[];
}

/** What `~`, %d and %u expand to. */
export interface SshConfigContext {
  home: string;
  localUser: string;
}

interface Block {
  patterns: string[];
  line: number;
  /** Keyword (lower case) → first value and its line. */
  options: Map<string, { value: string; line: number }>;
}

const USED = new Set(['hostname', 'user', 'port', 'identityfile', 'proxyjump', 'proxycommand']);
const MAX_HOSTS = 1000;

/** Split arguments on whitespace, honouring double quotes as OpenSSH does. */
function splitArguments(text: string): string[] | null {
  const out: string[] = [];
  const pattern = /"([^"]*)"|(\S+)/g;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text))) out.push(match[1] ?? match[2]);
  return text.split('"').length % 2 === 0 ? null : out;
}

/** OpenSSH host pattern matching: `*` and `?` wildcards, case-insensitive. */
function globMatches(pattern: string, name: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i').test(name);
}

function blockApplies(block: Block, alias: string): boolean {
  const negated = block.patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  if (negated.some((p) => globMatches(p, alias))) return false;
  return block.patterns.some((p) => !p.startsWith('!') && globMatches(p, alias));
}

const isConcrete = (pattern: string) => !/[*?!]/.test(pattern);

/** Parse the text into Host blocks (settings before the first Host apply to every host). */
function readBlocks(text: string, problems: SshConfigImport['problems']): Block[] {
  const blocks: Block[] = [{ patterns: ['*'], line: 0, options: new Map() }];
  let current: Block | null = blocks[0];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const match = /^([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/.exec(trimmed);
    if (!match) return void problems.push({ line, message: `cannot read "${printable(trimmed)}"` });
    const keyword = match[1].toLowerCase();
    const args = splitArguments(match[2].trim());
    if (!args || args.length === 0)
      return void problems.push({ line, message: `${match[1]} has no value or an unclosed quote` });
    if (keyword === 'host') {
      current = { patterns: args, line, options: new Map() };
      blocks.push(current);
    } else if (keyword === 'match') {
      current = null;
      problems.push({ line, message: 'Match blocks are not imported; their settings were skipped' });
    } else if (keyword === 'include') {
      problems.push({ line, message: `Include is not followed; import ${printable(args.join(' '))} separately` });
    } else if (current && USED.has(keyword) && !current.options.has(keyword)) {
      current.options.set(keyword, { value: args.join(' '), line });
    }
  });
  return blocks;
}

/** Expand OpenSSH's tokens in an IdentityFile path; null when one cannot be expanded. */
function expandPath(value: string, context: SshConfigContext, host: string, user: string): string | null {
  let path = value.startsWith('~/') || value === '~' ? context.home + value.slice(1) : value;
  let unknown = false;
  path = path.replace(/%(.)/g, (_, token: string) => {
    const values: Record<string, string> = { '%': '%', d: context.home, u: context.localUser, h: host, r: user };
    if (token in values) return values[token];
    unknown = true;
    return '';
  });
  return unknown ? null : path;
}

/** A Slug for the server name: the alias in lower case. */
function nameOf(alias: string): string | null {
  const name = alias.toLowerCase();
  return /^[a-z0-9][a-z0-9._-]*$/.test(name) && name.length <= 63 ? name : null;
}

function draftFor(
  alias: string,
  blocks: Block[],
  aliases: Set<string>,
  context: SshConfigContext,
): Omit<SshConfigHost, 'line'> {
  const problems: string[] = [];
  const get = (keyword: string) => {
    for (const block of blocks) {
      if (!blockApplies(block, alias)) continue;
      const found = block.options.get(keyword);
      if (found) return found;
    }
    return null;
  };
  const hostName = (get('hostname')?.value ?? alias).replace(/%h/g, alias);
  const hostIssue = hostProblem(hostName);
  if (hostIssue) problems.push(`HostName: ${hostIssue}`);

  const portText = get('port')?.value ?? '22';
  const port = /^[0-9]{1,5}$/.test(portText) ? Number(portText) : NaN;
  const portIssue = portProblem(port);
  if (portIssue) problems.push(`Port "${printable(portText)}": ${portIssue}`);

  const user = get('user')?.value ?? context.localUser;
  const userIssue = userProblem(user);
  if (userIssue) problems.push(`User: ${userIssue}`);

  let keyPath: string | null = null;
  const identity = get('identityfile');
  if (identity) {
    keyPath = expandPath(identity.value, context, hostName, user);
    const pathIssue = keyPath === null ? 'uses a % token Lifeboat cannot expand' : absolutePathProblem(keyPath);
    if (pathIssue) problems.push(`IdentityFile (line ${identity.line}): ${pathIssue}`);
  }

  let jumpAlias: string | null = null;
  const jump = get('proxyjump')?.value;
  if (jump && jump.toLowerCase() !== 'none') {
    if (aliases.has(jump) && jump !== alias) jumpAlias = jump;
    else
      problems.push(
        `ProxyJump "${printable(jump)}": only a single hop naming another Host of this file can be imported; add that server and choose it as the jump server`,
      );
  }
  if (get('proxycommand')) problems.push('ProxyCommand is not supported; use ProxyJump');

  const name = nameOf(alias);
  if (!name) problems.push(`"${printable(alias)}" cannot be a server name (letters, digits, ".", "_" or "-")`);

  const draft: ServerDraft = {
    name: name ?? alias,
    ssh: {
      host: hostName,
      port: Number.isNaN(port) ? 22 : port,
      user,
      auth: keyPath ? { kind: 'key', keyPath } : { kind: 'agent' },
      jumpServerId: null,
    },
    notes: `Imported from an SSH config (Host ${alias})`,
  };
  if (problems.length > 0) return { alias, draft: null, jumpAlias, problems };
  const checked = ServerDraft.safeParse(draft);
  if (checked.success) return { alias, draft: checked.data, jumpAlias, problems };
  problems.push(...checked.error.issues.map((i) => `${formatPath(i.path as (string | number)[])}: ${i.message}`));
  return { alias, draft: null, jumpAlias, problems };
}

/** Where `~` and `%u` of an SSH config point for the person running Lifeboat. */
export function localSshContext(): SshConfigContext {
  let localUser = 'root';
  try {
    localUser = os.userInfo().username;
  } catch {
    // no passwd entry (a container): keep root
  }
  return { home: os.homedir(), localUser };
}

/** Read an SSH client configuration and propose one server draft per concrete Host alias. */
export function parseSshConfig(text: string, context: SshConfigContext): SshConfigImport {
  const problems: SshConfigImport['problems'] = [];
  if (text.includes('\u0000'))
    return { hosts: [], problems: [{ line: 0, message: 'the file contains NUL bytes: it is not an SSH config' }] };
  const blocks = readBlocks(text, problems);
  const named = new Map<string, number>();
  for (const block of blocks.slice(1)) {
    for (const pattern of block.patterns)
      if (isConcrete(pattern) && !named.has(pattern)) named.set(pattern, block.line);
  }
  if (named.size > MAX_HOSTS) {
    problems.push({ line: 0, message: `${named.size} hosts is more than the ${MAX_HOSTS} Lifeboat imports at once` });
    return { hosts: [], problems };
  }
  const aliases = new Set(named.keys());
  const hosts = [...named].map(([alias, line]) => ({ ...draftFor(alias, blocks, aliases, context), line }));
  return { hosts, problems };
}

/**
 * How a value becomes part of a remote script (docs/safety.md, "How remote commands are built").
 * Every value is checked against an allowlist first, then POSIX single-quoted. Scripts are built
 * with the `sh` tag, which accepts only checked words: a raw string spliced into a script is a bug
 * and throws. Written by hand on purpose: this, with shared/validation, is the security boundary.
 * Pure, so the renderer and the plan can show the exact commands that will run.
 */
import { LifeboatError } from './errors';
import {
  absolutePathProblem,
  hostProblem,
  interfaceProblem,
  ipProblem,
  portProblem,
  prefixProblem,
  printable,
  unitProblem,
  userProblem,
} from './validation';

/** POSIX single-quoting: `'` becomes `'\''`; everything else is literal between quotes. NUL is refused. */
export function shellQuote(value: string): string {
  if (typeof value !== 'string') throw new TypeError(`shellQuote takes a string, not ${typeof value}`);
  if (value.includes('\u0000'))
    throw new LifeboatError('invalid_input', 'a value for a remote command may not contain NUL');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const WORD_TOKEN = Symbol('ShellWord');
const SCRIPT_TOKEN = Symbol('Script');

/** A value that passed an allowlist validator, with its quoted form. Made only by `word.*`. */
export class ShellWord {
  /** The value as validated. */
  readonly value: string;
  /** The value single-quoted, ready to splice into a script. */
  readonly quoted: string;

  constructor(token: symbol, value: string) {
    if (token !== WORD_TOKEN) throw new TypeError('ShellWord is made by the word.* validators only');
    this.value = value;
    this.quoted = shellQuote(value);
  }

  toString(): string {
    return this.quoted;
  }
}

/** A piece of shell built only from constants written in code and checked words. */
export class Script {
  readonly text: string;

  constructor(token: symbol, text: string) {
    if (token !== SCRIPT_TOKEN) throw new TypeError('Script is made by sh`…` or command() only');
    if (text.includes('\u0000')) throw new TypeError('a script may not contain NUL');
    this.text = text;
  }

  toString(): string {
    return this.text;
  }
}

function checked(problem: string | null, value: string): ShellWord {
  if (problem) throw new LifeboatError('invalid_input', problem);
  return new ShellWord(WORD_TOKEN, value);
}

function wholeNumber(value: number, min: number, max: number): string {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new LifeboatError('invalid_input', `${printable(String(value))} is not a whole number from ${min} to ${max}`);
  }
  return String(value);
}

/** A short record line written to a host (an on-host lock's owner file): a closed set of characters. */
function labelProblem(value: string): string | null {
  return /^[A-Za-z0-9@._:= -]{1,200}$/.test(value)
    ? null
    : `"${printable(value)}" is not a record label (letters, digits, space and @ . _ : = - only, 200 at most)`;
}

/** The only ways to turn a value into a ShellWord: one allowlist each. */
export const word = {
  /** A canonical IPv4 or IPv6 address (no `010.0.0.1`, `127.1`, hex or integers). */
  ip: (value: string) => checked(ipProblem(value), value),
  /** `address/prefix`, both checked. */
  cidr: (address: string, prefix: number) =>
    checked(ipProblem(address) ?? prefixProblem(address, prefix), `${address}/${prefix}`),
  /** A network interface name, never starting with a dash. */
  interfaceName: (value: string) => checked(interfaceProblem(value), value),
  /** A systemd unit or OpenBSD rc.d service name. */
  unit: (value: string) => checked(unitProblem(value), value),
  /** An absolute path without `..`, control characters or NUL. */
  path: (value: string) => checked(absolutePathProblem(value), value),
  /** A DNS host name or canonical IP address. */
  host: (value: string) => checked(hostProblem(value), value),
  /** A POSIX user name. */
  user: (value: string) => checked(userProblem(value), value),
  /** A TCP port. */
  port: (value: number) => checked(portProblem(value), String(value)),
  /** A record label written to a host as data (never a path, option or command). */
  label: (value: string) => checked(labelProblem(value), value),
  /** A whole number within bounds (counts, timeouts, byte sizes). */
  integer: (value: number, min = 0, max = Number.MAX_SAFE_INTEGER) => checked(null, wholeNumber(value, min, max)),
};

/** What may be spliced into `sh`: checked words, other scripts, or lists of them (joined by spaces). */
export type ScriptPart = ShellWord | Script | readonly (ShellWord | Script)[];

function render(part: unknown): string {
  if (part instanceof ShellWord) return part.quoted;
  if (part instanceof Script) return part.text;
  if (Array.isArray(part)) return part.map(render).join(' ');
  // A raw value reaching a script is a programming error, never user input to be shown.
  throw new TypeError(`only word.*() values and scripts may be spliced into a script, not ${typeof part}`);
}

/** Tag for scripts: the template's text is code; every `${…}` must be a ShellWord or Script. */
export function sh(strings: TemplateStringsArray, ...parts: ScriptPart[]): Script {
  let text = strings[0];
  parts.forEach((part, i) => {
    text += render(part) + strings[i + 1];
  });
  return new Script(SCRIPT_TOKEN, text);
}

/** Program names and options written in code: plain words that need no quoting. */
const CONSTANT = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * `program options… -- operands…`: for commands whose parser honours `--` (getopt), so that an
 * operand can never be read as an option. Options are constants or checked words.
 */
export function command(
  program: string,
  options: readonly (string | ShellWord)[],
  operands: readonly ShellWord[] = [],
): Script {
  const constant = (value: string) => {
    if (!CONSTANT.test(value))
      throw new TypeError(`"${printable(value)}" is not a constant word; pass data through word.*()`);
    return value;
  };
  const words = [constant(program), ...options.map((o) => (o instanceof ShellWord ? o.quoted : constant(o)))];
  if (operands.length > 0) words.push('--', ...operands.map(render));
  return new Script(SCRIPT_TOKEN, words.join(' '));
}

/** Join scripts one per line. */
export function lines(scripts: readonly Script[]): Script {
  return new Script(SCRIPT_TOKEN, scripts.map((s) => s.text).join('\n'));
}

/**
 * The one function every remote command goes through (like GitHub Desktop's git()): a constant
 * remote command with the script on stdin, a deadline, a cancel signal, capped output, and an
 * exit-code policy. Unknown outcomes are `Indeterminate`, never success and never plain failure.
 */
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import type { ClientChannel } from 'ssh2';
import { Script } from '../../shared/quoting';
import {
  CommandFailed,
  Indeterminate,
  SshError,
  type ExecOutcome,
  type ExecResult,
  type IndeterminateOutcome,
} from './errors';
import { CappedOutput, DEFAULT_MAX_OUTPUT_BYTES } from './output';
import { exitOf, type SshConnection } from './pool';
import { onAbort } from './transport';

/**
 * The command the server's login shell is asked to run. Constant, so the login shell (tcsh, fish)
 * never parses anything of ours; the script goes on stdin to a POSIX shell in the C locale.
 */
export const REMOTE_SHELL = 'env LC_ALL=C /bin/sh -s';

/** Scripts are small; a bigger one is a bug. */
export const MAX_SCRIPT_BYTES = 256 * 1024;

/** How a command may run. */
export interface ExecOptions {
  /** The whole command, channel opening included. Required: every wait is bounded. */
  timeoutMs: number;
  /** Exit statuses that count as success. */
  okCodes?: readonly number[];
  /** Per stream; the rest is counted and dropped, and a marker shows the cut. */
  maxOutputBytes?: number;
  signal?: AbortSignal;
  /** Output as it arrives, decoded as UTF-8, up to maxOutputBytes per stream (then one marker). */
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
}

/** Check and normalise a script: text, no NUL, bounded, ending with a newline. */
export function scriptText(script: string | Script): string {
  const text = script instanceof Script ? script.text : script;
  if (typeof text !== 'string') throw new TypeError('a script is a string or a Script');
  if (text.includes('\u0000')) throw new TypeError('a script may not contain NUL');
  if (Buffer.byteLength(text) > MAX_SCRIPT_BYTES)
    throw new TypeError(`a script may not exceed ${MAX_SCRIPT_BYTES} bytes`);
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** Check the options every runner shares. */
export function checkExecOptions(options: ExecOptions): Required<Omit<ExecOptions, 'signal' | 'onOutput'>> {
  const { timeoutMs, okCodes = [0], maxOutputBytes = DEFAULT_MAX_OUTPUT_BYTES } = options;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new TypeError('exec needs a positive timeoutMs');
  if (!okCodes.every((c) => Number.isInteger(c) && c >= 0 && c <= 255))
    throw new TypeError('okCodes are exit statuses 0-255');
  return { timeoutMs, okCodes, maxOutputBytes };
}

/** Turn a finished command into its outcome under the exit-code policy. */
export function judge(result: ExecResult, okCodes: readonly number[]): Exclude<ExecOutcome, 'timeout' | 'cancelled'> {
  if (result.code === null) return 'dropped';
  return okCodes.includes(result.code) ? 'ok' : 'failed';
}

/** Run a script on the host behind `connection`. Resolves on success; throws CommandFailed, Indeterminate or SshError. */
export async function exec(
  connection: SshConnection,
  script: string | Script,
  options: ExecOptions,
): Promise<ExecResult> {
  const text = scriptText(script);
  const { timeoutMs, okCodes, maxOutputBytes } = checkExecOptions(options);
  const { signal } = options;
  const started = performance.now();
  const stdout = new CappedOutput(maxOutputBytes);
  const stderr = new CappedOutput(maxOutputBytes);
  const host = connection.name;
  const result = (code: number | null, exitSignal: string | null): ExecResult => ({
    code,
    signal: exitSignal,
    stdout: stdout.text(),
    stderr: stderr.text(),
    truncated: stdout.truncated || stderr.truncated,
    durationMs: Math.round(performance.now() - started),
  });
  const unknown = (outcome: IndeterminateOutcome, sent: boolean, reason: string) =>
    new Indeterminate(outcome, result(null, null), host, sent, reason);

  let channel: ClientChannel;
  try {
    channel = await connection.openSession(REMOTE_SHELL, {
      timeoutMs: Math.min(timeoutMs, connection.timeouts.channelMs),
      signal,
    });
  } catch (error) {
    if (!(error instanceof SshError)) throw error;
    // The exec request may have reached the host even though no script did: say so, not "failed".
    if (error.problem === 'channel_timeout') throw unknown('timeout', false, error.message);
    if (error.problem === 'cancelled') throw unknown('cancelled', false, error.message);
    if (error.problem === 'disconnected' || error.problem === 'closed') throw unknown('dropped', false, error.message);
    throw error;
  }

  return new Promise<ExecResult>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: ExecOutcome, reason = '') => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stopAbort();
      stopClose();
      if (outcome === 'timeout' || outcome === 'cancelled') {
        // Ask the remote shell to stop, then leave; whatever it did is unknown either way.
        try {
          channel.signal('TERM');
        } catch {
          /* the channel may already be gone */
        }
        channel.close();
      }
      const exit = exitOf(channel);
      const final = result(exit?.code ?? null, exit?.signal ?? null);
      if (outcome === 'ok') return resolve(final);
      if (outcome === 'failed') return reject(new CommandFailed(final, host));
      reject(new Indeterminate(outcome, final, host, true, reason));
    };
    const live = {
      stdout: liveStream('stdout', maxOutputBytes, options.onOutput),
      stderr: liveStream('stderr', maxOutputBytes, options.onOutput),
    };
    channel.on('data', (data: Buffer) => {
      stdout.push(data);
      live.stdout(data);
    });
    channel.stderr.on('data', (data: Buffer) => {
      stderr.push(data);
      live.stderr(data);
    });
    // The exit status decides; without one (or with only a signal) the outcome is unknown.
    const ended = (lost: string) => {
      const exit = exitOf(channel);
      if (exit?.code === null)
        return settle('dropped', `the remote shell was ended by signal ${exit.signal ?? 'unknown'}`);
      if (!exit) return settle('dropped', lost);
      settle(judge(result(exit.code, null), okCodes));
    };
    channel.on('close', () =>
      ended(connection.isOpen ? 'the remote shell ended without an exit status' : 'the connection was lost'),
    );
    channel.on('error', () => {}); // followed by 'close'
    const remaining = Math.max(1, timeoutMs - (performance.now() - started));
    // An exit status that came without the channel closing still decides.
    const timer = setTimeout(
      () => (exitOf(channel) ? ended('') : settle('timeout', `no exit status within ${timeoutMs} ms`)),
      remaining,
    );
    const stopAbort = onAbort(signal, () => settle('cancelled', 'cancelled while running'));
    const stopClose = connection.onClose((reason) => ended(reason));
    channel.end(text);
  });
}

/**
 * Forward one stream's chunks to `onOutput` as text (a character split between chunks waits for
 * its rest), at most `cap` bytes, then one marker; a listener that throws does not stop the command.
 */
function liveStream(
  stream: 'stdout' | 'stderr',
  cap: number,
  onOutput: ExecOptions['onOutput'],
): (data: Buffer) => void {
  if (!onOutput) return () => undefined;
  const decoder = new StringDecoder('utf8');
  let sent = 0;
  let cut = false;
  const emit = (text: string) => {
    try {
      if (text) onOutput(stream, text);
    } catch {
      // the listener's problem; the command and its result go on
    }
  };
  return (data) => {
    if (cut) return;
    const room = cap - sent;
    sent += data.length;
    if (data.length <= room) return emit(decoder.write(data));
    emit(decoder.write(data.subarray(0, Math.max(0, room))) + decoder.end());
    emit(`\n…[live output stopped after ${cap} bytes; the command goes on]\n`);
    cut = true;
  };
}

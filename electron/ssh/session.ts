/**
 * The fast path for sweeps: one persistent `env LC_ALL=C /bin/sh -s` per host, fed scripts over
 * stdin, so a sweep opens no channel at all. Each request runs in a subshell with /dev/null as
 * stdin (it cannot read the stream) and is framed by a marker carrying a random nonce made for
 * that request alone, so output that imitates a marker cannot end or forge a result. Requests are
 * pipelined; when one times out the session's state is unknown, so it is closed and reopened.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ClientChannel } from 'ssh2';
import { shellQuote, type Script } from '../../shared/quoting';
import { endpointKey, type Endpoint } from './endpoint';
import { CommandFailed, Indeterminate, SshError, type ExecResult, type IndeterminateOutcome } from './errors';
import { REMOTE_SHELL, checkExecOptions, judge, scriptText, type ExecOptions } from './exec';
import { CappedOutput } from './output';
import type { ConnectionPool, SshConnection } from './pool';
import { onAbort, withAbort } from './transport';

interface Request {
  nonce: string;
  stdoutMarker: Buffer;
  stderrMarker: Buffer;
  stdout: CappedOutput;
  stderr: CappedOutput;
  code: number | null;
  stdoutDone: boolean;
  stderrDone: boolean;
  okCodes: readonly number[];
  timeoutMs: number;
  started: number;
  timer: NodeJS.Timeout | null;
  /** Cancelled by its caller: answered already, but its frame is still read off the stream. */
  abandoned: boolean;
  stopAbort: () => void;
  resolve: (result: ExecResult) => void;
  reject: (error: Error) => void;
}

/** How one request is written to the shell: the script as a quoted word, then the markers. */
function frame(script: string, nonce: string): string {
  return (
    `( eval ${shellQuote(script)} ) </dev/null; __lifeboat_status=$?; ` +
    `printf '\\n%s %s\\n' '${nonce}' "$__lifeboat_status"; printf '\\n%s\\n' '${nonce}' >&2\n`
  );
}

/** A marker's status line is short; more than this without a newline is a broken stream. */
const MAX_STATUS_BYTES = 16;

/** One persistent shell on one host. */
export class ShellSession {
  private readonly queue: Request[] = [];
  private stdoutBuffer: Buffer = Buffer.alloc(0);
  private stderrBuffer: Buffer = Buffer.alloc(0);
  private broken: string | null = null;
  private readonly stopWatching: () => void;

  private constructor(
    private readonly connection: SshConnection,
    private readonly channel: ClientChannel,
  ) {
    channel.on('data', (data: Buffer) => this.readStdout(data));
    channel.stderr.on('data', (data: Buffer) => this.readStderr(data));
    channel.on('error', () => {});
    channel.once('close', () =>
      this.fail('dropped', connection.isOpen ? 'the remote shell ended' : 'the connection was lost'),
    );
    this.stopWatching = connection.onClose((reason) => this.fail('dropped', reason));
  }

  /** Start the shell on a connection, within the channel deadline. */
  static async open(connection: SshConnection, signal?: AbortSignal): Promise<ShellSession> {
    const channel = await connection.openSession(REMOTE_SHELL, { timeoutMs: connection.timeouts.channelMs, signal });
    return new ShellSession(connection, channel);
  }

  /** False once the session has closed or been declared broken. */
  get isUsable(): boolean {
    return this.broken === null && this.connection.isOpen;
  }

  /** Send several scripts in one write; one promise per script, settled in order. */
  submit(scripts: readonly (string | Script)[], options: ExecOptions): Promise<ExecResult>[] {
    const { timeoutMs, okCodes, maxOutputBytes } = checkExecOptions(options);
    const texts = scripts.map(scriptText);
    if (!this.isUsable) {
      const error = new SshError('closed', `the shell session on ${this.connection.name} is closed`);
      return texts.map(() => Promise.reject(error));
    }
    const promises: Promise<ExecResult>[] = [];
    let payload = '';
    for (const text of texts) {
      const nonce = `lifeboat-${randomBytes(16).toString('hex')}`;
      promises.push(
        new Promise<ExecResult>((resolve, reject) => {
          const request: Request = {
            nonce,
            stdoutMarker: Buffer.from(`\n${nonce} `),
            stderrMarker: Buffer.from(`\n${nonce}\n`),
            stdout: new CappedOutput(maxOutputBytes),
            stderr: new CappedOutput(maxOutputBytes),
            code: null,
            stdoutDone: false,
            stderrDone: false,
            okCodes,
            timeoutMs,
            started: performance.now(),
            timer: null,
            abandoned: false,
            stopAbort: () => {},
            resolve,
            reject,
          };
          request.stopAbort = onAbort(options.signal, () => this.abandon(request));
          this.queue.push(request);
        }),
      );
      payload += frame(text, nonce);
    }
    this.startHead();
    this.channel.write(payload);
    return promises;
  }

  /** Close the shell; requests still waiting are indeterminate. */
  close(reason = 'closed by Lifeboat'): void {
    this.fail('dropped', reason);
  }

  private result(request: Request): ExecResult {
    return {
      code: request.code,
      signal: null,
      stdout: request.stdout.text(),
      stderr: request.stderr.text(),
      truncated: request.stdout.truncated || request.stderr.truncated,
      durationMs: Math.round(performance.now() - request.started),
    };
  }

  /** The head request's deadline starts when it starts running. */
  private startHead(): void {
    const head = this.queue[0];
    if (!head || head.timer) return;
    head.started = performance.now();
    head.timer = setTimeout(() => {
      if (this.queue[0] !== head) return;
      this.fail('timeout', `no answer within ${head.timeoutMs} ms`, head);
    }, head.timeoutMs);
  }

  private abandon(request: Request): void {
    if (request.abandoned) return;
    request.abandoned = true;
    request.reject(
      new Indeterminate(
        'cancelled',
        this.result(request),
        this.connection.name,
        true,
        'cancelled while queued or running',
      ),
    );
  }

  private readStdout(data: Buffer): void {
    this.stdoutBuffer = this.scan(Buffer.concat([this.stdoutBuffer, data]), 'stdout');
    this.completeHeads();
  }

  private readStderr(data: Buffer): void {
    this.stderrBuffer = this.scan(Buffer.concat([this.stderrBuffer, data]), 'stderr');
    this.completeHeads();
  }

  /** Hand bytes to the requests they belong to; return what must wait for more data. */
  private scan(buffer: Buffer, stream: 'stdout' | 'stderr'): Buffer {
    let rest = buffer;
    for (;;) {
      const request = this.queue.find((r) => (stream === 'stdout' ? !r.stdoutDone : !r.stderrDone));
      if (!request) {
        // Output with no request waiting cannot happen with framed requests; drop it.
        return Buffer.alloc(0);
      }
      const marker = stream === 'stdout' ? request.stdoutMarker : request.stderrMarker;
      const sink = stream === 'stdout' ? request.stdout : request.stderr;
      const at = rest.indexOf(marker);
      if (at < 0) {
        // Keep a tail that could be the start of a marker split across chunks.
        const keep = Math.min(rest.length, marker.length - 1);
        sink.push(rest.subarray(0, rest.length - keep));
        return Buffer.from(rest.subarray(rest.length - keep));
      }
      sink.push(rest.subarray(0, at));
      if (stream === 'stderr') {
        request.stderrDone = true;
        rest = rest.subarray(at + marker.length);
        continue;
      }
      const statusStart = at + marker.length;
      const newline = rest.indexOf(0x0a, statusStart);
      if (newline < 0) {
        if (rest.length - statusStart > MAX_STATUS_BYTES)
          this.fail('dropped', 'the shell session sent a malformed status line');
        return Buffer.from(rest.subarray(at));
      }
      const status = rest.subarray(statusStart, newline).toString('latin1');
      request.code = /^[0-9]{1,3}$/.test(status) ? Number(status) : null;
      request.stdoutDone = true;
      rest = rest.subarray(newline + 1);
    }
  }

  private completeHeads(): void {
    while (this.queue[0]?.stdoutDone && this.queue[0].stderrDone) {
      const request = this.queue.shift() as Request;
      if (request.timer) clearTimeout(request.timer);
      request.stopAbort();
      if (!request.abandoned) this.settle(request);
    }
    this.startHead();
  }

  private settle(request: Request): void {
    const result = this.result(request);
    const outcome = judge(result, request.okCodes);
    if (outcome === 'ok') request.resolve(result);
    else if (outcome === 'failed') request.reject(new CommandFailed(result, this.connection.name));
    else
      request.reject(
        new Indeterminate('dropped', result, this.connection.name, true, 'the shell reported no exit status'),
      );
  }

  /** Declare the session broken: every waiting request becomes indeterminate, and the shell is closed. */
  private fail(outcome: IndeterminateOutcome, reason: string, culprit?: Request): void {
    if (this.broken === null) this.broken = reason;
    this.stopWatching();
    for (const request of this.queue.splice(0)) {
      if (request.timer) clearTimeout(request.timer);
      request.stopAbort();
      if (request.abandoned) continue;
      const own = request === culprit;
      const why = own ? reason : `the shell session was closed (${reason}) before this request finished`;
      request.reject(
        new Indeterminate(own ? outcome : 'dropped', this.result(request), this.connection.name, true, why),
      );
    }
    this.channel.close();
  }
}

/** Persistent shells by endpoint, reopened after a failure. Owned by whoever owns the pool. */
export class ShellSessions {
  private readonly sessions = new Map<string, ShellSession>();
  private readonly opening = new Map<string, Promise<ShellSession>>();
  private disposed = false;

  constructor(private readonly pool: ConnectionPool) {}

  /** Run one script over the endpoint's session. */
  async run(endpoint: Endpoint, script: string | Script, options: ExecOptions): Promise<ExecResult> {
    const [outcome] = await this.runBatch(endpoint, [script], options);
    if (outcome.status === 'rejected') throw outcome.reason;
    return outcome.value;
  }

  /** Run several scripts in one round trip; one settled result per script, in order. */
  async runBatch(
    endpoint: Endpoint,
    scripts: readonly (string | Script)[],
    options: ExecOptions & { lane?: string },
  ): Promise<PromiseSettledResult<ExecResult>[]> {
    let session: ShellSession;
    try {
      session = await this.sessionFor(endpoint, options.signal, options.lane);
    } catch (error) {
      return scripts.map(() => ({ status: 'rejected', reason: error }));
    }
    return Promise.allSettled(session.submit(scripts, options));
  }

  /** Close every session (the pool's connections stay with the pool). */
  dispose(): void {
    this.disposed = true;
    for (const session of this.sessions.values()) session.close('sessions disposed');
    this.sessions.clear();
  }

  /**
   * The endpoint's shell in a lane: each lane has its own shell on the same connection, so a
   * failover's commands never wait in a queue behind a host's health checks (or the other way).
   */
  private async sessionFor(endpoint: Endpoint, signal?: AbortSignal, lane = 'checks'): Promise<ShellSession> {
    if (this.disposed) throw new SshError('closed', 'the shell sessions were disposed');
    const key = `${endpointKey(endpoint)}#${lane}`;
    const current = this.sessions.get(key);
    if (current?.isUsable) return current;
    let pending = this.opening.get(key);
    if (!pending) {
      pending = (async () => {
        const connection = await this.pool.acquire(endpoint);
        const session = await ShellSession.open(connection);
        if (this.disposed) {
          session.close('sessions disposed');
          throw new SshError('closed', 'the shell sessions were disposed');
        }
        this.sessions.set(key, session);
        return session;
      })().finally(() => this.opening.delete(key));
      this.opening.set(key, pending);
    }
    return withAbort(pending, signal, `opening a shell on ${key}`);
  }
}

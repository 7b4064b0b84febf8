/**
 * One SSH connection per endpoint, shared by checks and runbook steps. A connection that drops
 * is evicted; the next use reconnects. Jump hosts are pooled connections too, and their targets
 * are reached through a forwarded channel with the target's own host key verified.
 */
import type { Duplex } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';
import { SshError } from './errors';
import {
  KeyFileCache,
  NO_SECRET_STORE,
  authMethodsFor,
  type PassphraseProvider,
  type SecretStore,
} from './credentials';
import { endpointKey, type Endpoint } from './endpoint';
import type { HostKeyPins, PresentedHostKey } from './host-keys';
import {
  DEFAULT_TIMEOUTS,
  connectTcp,
  handshake,
  onAbort,
  probeHostKey,
  withAbort,
  type SshTimeouts,
} from './transport';

/** What a pool needs from the app. */
export interface PoolOptions {
  /** The pinned host keys, read at every handshake. */
  pins: HostKeyPins;
  passphrases?: PassphraseProvider | null;
  secrets?: SecretStore;
  /** Defaults to SSH_AUTH_SOCK. */
  agentSocket?: string;
  timeouts?: Partial<SshTimeouts>;
  /** Session channels open at once on one connection (OpenSSH's MaxSessions defaults to 10). */
  maxChannels?: number;
}

/** Bounded wait options for opening a channel. */
export interface ChannelOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/** How a remote command ended, as far as the server said. */
export interface ChannelExit {
  code: number | null;
  signal: string | null;
}

/**
 * Exit statuses recorded the moment a channel exists: ssh2 emits 'exit' once, possibly in the
 * same read as the channel's confirmation, before any later listener could see it.
 */
const exits = new WeakMap<ClientChannel, ChannelExit>();

/** The exit status or signal the server sent for a session channel, or null when none came. */
export function exitOf(channel: ClientChannel): ChannelExit | null {
  return exits.get(channel) ?? null;
}

/** An authenticated connection. Owned by the pool: use it, do not close it. */
export class SshConnection {
  private closed = false;
  private readonly closeListeners = new Set<(reason: string) => void>();
  private channelsInUse = 0;
  private readonly channelWaiters: (() => void)[] = [];

  constructor(
    readonly key: string,
    readonly endpoint: Endpoint,
    readonly client: Client,
    private readonly sock: Duplex,
    readonly hostKey: PresentedHostKey,
    readonly timeouts: SshTimeouts,
    private readonly maxChannels: number,
  ) {
    client.on('error', () => {}); // reported through 'close'; an unhandled 'error' would crash the process
    client.once('end', () => this.markClosed('the server closed the connection'));
    client.once('close', () => this.markClosed('the connection was lost'));
  }

  /** A short name for messages: user@host:port. */
  get name(): string {
    return `${this.endpoint.user}@${this.endpoint.host}:${this.endpoint.port}`;
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Called once when the connection ends for any reason; returns the unsubscribe function. */
  onClose(listener: (reason: string) => void): () => void {
    if (this.closed) {
      queueMicrotask(() => listener('the connection is closed'));
      return () => {};
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Start `command` on a new session channel, within the deadline. A channel that never opens breaks the connection. */
  async openSession(command: string, { timeoutMs, signal }: ChannelOptions): Promise<ClientChannel> {
    const deadline = Date.now() + timeoutMs;
    await this.takeChannelSlot(timeoutMs, signal);
    try {
      const channel = await this.openChannel(
        `starting a command on ${this.name}`,
        Math.max(1, deadline - Date.now()),
        signal,
        (done) =>
          this.client.exec(command, (error, opened) => {
            opened?.once('exit', (code: number | null, exitSignal?: string) =>
              exits.set(opened, { code: typeof code === 'number' ? code : null, signal: exitSignal ?? null }),
            );
            done(error, opened);
          }),
      );
      channel.once('close', () => this.releaseChannelSlot());
      return channel;
    } catch (error) {
      this.releaseChannelSlot();
      throw error;
    }
  }

  /** A TCP stream to host:port from this host's side (a jump), within the deadline. */
  forwardOut(host: string, port: number, { timeoutMs, signal }: ChannelOptions): Promise<ClientChannel> {
    return this.openChannel(`opening a tunnel from ${this.name} to ${host}:${port}`, timeoutMs, signal, (done) =>
      this.client.forwardOut('127.0.0.1', 0, host, port, done),
    );
  }

  /** End the connection now. The pool evicts it. */
  close(reason = 'closed by Lifeboat'): void {
    if (!this.closed) this.client.end();
    this.markClosed(reason);
    // A peer that stopped answering never completes a clean end; do not wait for it.
    setTimeout(() => this.sock.destroy(), 1_000).unref();
  }

  private openChannel(
    what: string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    start: (done: (error: Error | undefined, channel: ClientChannel) => void) => void,
  ): Promise<ClientChannel> {
    if (this.closed) return Promise.reject(new SshError('closed', `${what}: the connection is closed`));
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (error: SshError | null, channel?: ClientChannel) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        stopAbort();
        stopClose();
        if (error) reject(error);
        else resolve(channel as ClientChannel);
      };
      // The caller's budget ends this call; only the connection's own channel deadline passing without
      // an answer means the connection is stuck (SSH answers channel requests in order) and closes it,
      // so a short budget near a run's deadline cannot tear down a connection others use.
      const timer = setTimeout(
        () => settle(new SshError('channel_timeout', `${what}: no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const stuck = setTimeout(
        () => this.close('a channel did not open in time'),
        Math.max(timeoutMs, this.timeouts.channelMs),
      );
      stuck.unref?.();
      const stopAbort = onAbort(signal, () => settle(new SshError('cancelled', `${what} was cancelled`)));
      const stopClose = this.onClose((reason) => settle(new SshError('disconnected', `${what}: ${reason}`)));
      try {
        start((error, channel) => {
          clearTimeout(stuck);
          if (settled) return void channel?.close();
          if (error)
            return settle(
              this.closed
                ? new SshError('disconnected', `${what}: the connection was lost`)
                : new SshError('channel_refused', `${what}: refused (${error.message})`),
            );
          settle(null, channel);
        });
      } catch (error) {
        settle(new SshError('disconnected', `${what}: ${(error as Error).message}`));
      }
    });
  }

  private takeChannelSlot(timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
    if (this.channelsInUse < this.maxChannels) {
      this.channelsInUse++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        clearTimeout(timer);
        stopAbort();
        this.channelsInUse++;
        resolve();
      };
      const giveUp = (error: SshError) => {
        clearTimeout(timer);
        stopAbort();
        const index = this.channelWaiters.indexOf(grant);
        if (index >= 0) this.channelWaiters.splice(index, 1);
        reject(error);
      };
      const timer = setTimeout(
        () => giveUp(new SshError('channel_timeout', `every channel to ${this.name} stayed busy for ${timeoutMs} ms`)),
        timeoutMs,
      );
      const stopAbort = onAbort(signal, () =>
        giveUp(new SshError('cancelled', `waiting for a channel to ${this.name} was cancelled`)),
      );
      this.channelWaiters.push(grant);
    });
  }

  private releaseChannelSlot(): void {
    this.channelsInUse--;
    this.channelWaiters.shift()?.();
  }

  private markClosed(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of [...this.closeListeners]) listener(reason);
    this.closeListeners.clear();
  }
}

/** Connections keyed by endpoint (user@host:port via jumps), with one owner that disposes them. */
export class ConnectionPool {
  readonly timeouts: SshTimeouts;
  private readonly connections = new Map<string, SshConnection>();
  private readonly pending = new Map<string, Promise<SshConnection>>();
  private readonly keys: KeyFileCache;
  private disposed = false;

  constructor(private readonly options: PoolOptions) {
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.keys = new KeyFileCache(options.passphrases ?? null);
  }

  /** Connections currently open. */
  get size(): number {
    return this.connections.size;
  }

  /** An open, authenticated connection to the endpoint: the pooled one, or a new one. */
  acquire(endpoint: Endpoint, { signal }: { signal?: AbortSignal } = {}): Promise<SshConnection> {
    if (this.disposed) return Promise.reject(new SshError('closed', 'the connection pool was disposed'));
    const key = endpointKey(endpoint);
    const existing = this.connections.get(key);
    if (existing?.isOpen) return Promise.resolve(existing);
    let pending = this.pending.get(key);
    if (!pending) {
      // Shared by every caller; each caller's signal only stops its own wait.
      pending = this.connect(key, endpoint).finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    return withAbort(pending, signal, `connecting to ${key}`);
  }

  /** The key the endpoint presents, learnt by a key exchange that stops before authentication. */
  async scanHostKey(endpoint: Endpoint, { signal }: { signal?: AbortSignal } = {}): Promise<PresentedHostKey> {
    const sock = await this.openStream(endpoint, signal);
    return probeHostKey(sock, {
      host: endpoint.host,
      port: endpoint.port,
      user: endpoint.user,
      pins: this.options.pins,
      timeouts: this.timeouts,
      signal,
    });
  }

  /** Close the pooled connection of an endpoint (and so everything tunnelled through it). */
  evict(endpoint: Endpoint): void {
    this.connections.get(endpointKey(endpoint))?.close('evicted');
  }

  /** Close every connection and refuse new ones. */
  dispose(): void {
    this.disposed = true;
    for (const connection of [...this.connections.values()]) connection.close('the pool was disposed');
    this.connections.clear();
    this.keys.clear();
  }

  private async connect(key: string, endpoint: Endpoint): Promise<SshConnection> {
    // Credentials first, so a passphrase prompt does not eat into the handshake deadline.
    const auth = await authMethodsFor(endpoint, {
      keys: this.keys,
      secrets: this.options.secrets ?? NO_SECRET_STORE,
      agentSocket: this.options.agentSocket,
    });
    const sock = await this.openStream(endpoint);
    const { client, hostKey } = await handshake(
      sock,
      {
        host: endpoint.host,
        port: endpoint.port,
        user: endpoint.user,
        pins: this.options.pins,
        timeouts: this.timeouts,
      },
      auth,
    );
    const connection = new SshConnection(
      key,
      endpoint,
      client,
      sock,
      hostKey,
      this.timeouts,
      this.options.maxChannels ?? 8,
    );
    if (this.disposed) {
      connection.close('the pool was disposed');
      throw new SshError('closed', 'the connection pool was disposed');
    }
    this.connections.set(key, connection);
    connection.onClose(() => {
      if (this.connections.get(key) === connection) this.connections.delete(key);
    });
    return connection;
  }

  /** A byte stream to the endpoint's SSH port: TCP, or a tunnel through its (pooled) jump host. */
  private async openStream(endpoint: Endpoint, signal?: AbortSignal): Promise<Duplex> {
    if (!endpoint.jump) return connectTcp(endpoint.host, endpoint.port, this.timeouts.connectMs, signal);
    const hop = await this.acquire(endpoint.jump, { signal });
    return hop.forwardOut(endpoint.host, endpoint.port, { timeoutMs: this.timeouts.connectMs, signal });
  }
}

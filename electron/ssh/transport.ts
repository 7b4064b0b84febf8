/**
 * The bottom of the engine: a TCP connection with a deadline, and the SSH handshake over any
 * stream (a socket, or a forwarded channel through a jump host) with strict host-key checking.
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { Client, type AnyAuthMethod } from 'ssh2';
import { SshError } from './errors';
import { createHostVerification, hostKeyAlgorithms, type HostKeyPins, type PresentedHostKey } from './host-keys';

/** Every wait of a connection, in milliseconds (docs/safety.md, invariant 8). */
export interface SshTimeouts {
  /** TCP connect, or opening the forwarded channel through a jump host. */
  connectMs: number;
  /** From the first byte to authenticated: banner, key exchange, authentication. */
  handshakeMs: number;
  /** Opening a session channel on an established connection. */
  channelMs: number;
  /** Keepalive period; the connection is declared dead after keepaliveCountMax unanswered ones. */
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
}

/** Deadlines for a desktop console on a LAN or VPN: generous, never unbounded. */
export const DEFAULT_TIMEOUTS: SshTimeouts = {
  connectMs: 5_000,
  handshakeMs: 10_000,
  channelMs: 5_000,
  keepaliveIntervalMs: 5_000,
  keepaliveCountMax: 3,
};

/** Reject when the signal aborts; returns the function that stops listening. */
export function onAbort(signal: AbortSignal | undefined, handler: () => void): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    queueMicrotask(handler);
    return () => {};
  }
  signal.addEventListener('abort', handler, { once: true });
  return () => signal.removeEventListener('abort', handler);
}

/** Follow a promise, but reject with `cancelled` as soon as the signal aborts. */
export function withAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    const stop = onAbort(signal, () => reject(new SshError('cancelled', `${what} was cancelled`)));
    promise.then(
      (value) => (stop(), resolve(value)),
      (error) => (stop(), reject(error)),
    );
  });
}

/** Open a TCP connection within the deadline. */
export function connectTcp(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setNoDelay(true);
    const finish = (error: SshError | null) => {
      clearTimeout(timer);
      stopAbort();
      socket.removeListener('connect', onConnect);
      socket.removeListener('error', onError);
      if (!error) return resolve(socket);
      socket.destroy();
      reject(error);
    };
    const onConnect = () => finish(null);
    const onError = (error: NodeJS.ErrnoException) =>
      finish(new SshError('unreachable', `cannot reach ${host}:${port}: ${error.code ?? error.message}`));
    const timer = setTimeout(
      () =>
        finish(
          new SshError('connect_timeout', `${host}:${port} did not accept a TCP connection within ${timeoutMs} ms`),
        ),
      timeoutMs,
    );
    const stopAbort = onAbort(signal, () =>
      finish(new SshError('cancelled', `connecting to ${host}:${port} was cancelled`)),
    );
    socket.once('connect', onConnect);
    socket.once('error', onError);
  });
}

/** What a handshake needs. */
export interface HandshakeOptions {
  host: string;
  port: number;
  user: string;
  pins: HostKeyPins;
  timeouts: SshTimeouts;
  signal?: AbortSignal;
}

type ClientError = Error & { level?: string };

function describeFailure(error: ClientError, host: string, port: number, timeouts: SshTimeouts): SshError {
  const where = `${host}:${port}`;
  switch (error.level) {
    case 'client-timeout':
      return /keepalive/i.test(error.message)
        ? new SshError('disconnected', `${where} stopped answering keepalives`)
        : new SshError(
            'handshake_timeout',
            `${where} did not complete the SSH handshake within ${timeouts.handshakeMs} ms`,
          );
    case 'client-authentication':
      return new SshError('auth_failed', `${where} refused the login: ${error.message}`);
    case 'handshake':
      return new SshError('handshake_failed', `the SSH handshake with ${where} failed: ${error.message}`);
    default:
      return new SshError('disconnected', `the connection to ${where} was lost during the handshake: ${error.message}`);
  }
}

/**
 * Start an SSH client over `sock` and settle once it is authenticated (or, for a probe, once the
 * host key is known). Host keys are checked before NEWKEYS, so nothing is sent to a host whose
 * key is not pinned.
 */
function startClient(
  sock: Duplex,
  options: HandshakeOptions,
  auth: AnyAuthMethod[] | null,
): Promise<{ client: Client; hostKey: PresentedHostKey }> {
  const { host, port, user, pins, timeouts, signal } = options;
  const verification = createHostVerification(host, port, pins);
  const probing = auth === null;
  const client = new Client();
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error: SshError | null) => {
      if (settled) return;
      settled = true;
      stopAbort();
      client.removeListener('ready', onReady);
      client.removeListener('close', onClose);
      const succeeded = error === null && verification.presented !== null;
      if (succeeded && !probing) return resolve({ client, hostKey: verification.presented as PresentedHostKey });
      // A probe, or a failure, ends the connection here.
      client.destroy();
      sock.destroy();
      if (succeeded) return resolve({ client, hostKey: verification.presented as PresentedHostKey });
      reject(error ?? new SshError('handshake_failed', `${host}:${port} completed no key exchange`));
    };
    // The probe refuses every key on purpose: once it has seen the key, however it ends is success.
    const probed = () => probing && verification.presented !== null;
    const onReady = () => settle(null);
    const onError = (error: ClientError) =>
      settle(probed() ? null : (verification.rejection ?? describeFailure(error, host, port, timeouts)));
    const onClose = () =>
      settle(
        probed()
          ? null
          : (verification.rejection ??
              new SshError('disconnected', `${host}:${port} closed the connection during the handshake`)),
      );
    const stopAbort = onAbort(signal, () =>
      settle(new SshError('cancelled', `connecting to ${host}:${port} was cancelled`)),
    );
    // Always listen for errors: an unhandled 'error' would crash the main process.
    client.on('error', onError);
    client.once('ready', onReady);
    client.once('close', onClose);
    client.connect({
      sock: sock as never,
      username: user,
      readyTimeout: timeouts.handshakeMs,
      keepaliveInterval: timeouts.keepaliveIntervalMs,
      keepaliveCountMax: timeouts.keepaliveCountMax,
      hostVerifier: (blob: Buffer) => {
        const accepted = verification.verify(blob);
        return probing ? false : accepted; // a probe looks at the key and never goes further
      },
      algorithms: { serverHostKey: hostKeyAlgorithms(pins.pinsFor(host, port)) },
      authHandler: auth ?? [],
    });
  });
}

/** Handshake and authenticate over an open stream. The caller owns the client afterwards. */
export async function handshake(
  sock: Duplex,
  options: HandshakeOptions,
  auth: AnyAuthMethod[],
): Promise<{ client: Client; hostKey: PresentedHostKey }> {
  return startClient(sock, options, auth);
}

/** Key exchange only: learn which key the host presents. Never authenticates, never sends a credential. */
export async function probeHostKey(sock: Duplex, options: HandshakeOptions): Promise<PresentedHostKey> {
  const { hostKey } = await startClient(sock, options, null);
  return hostKey;
}

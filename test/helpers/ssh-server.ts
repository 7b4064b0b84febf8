/**
 * An in-process ssh2 Server on 127.0.0.1 that plays the remote host, the way ssh2's own tests do.
 * By default an exec runs for real through the local /bin/sh, so scripts, exit codes and stderr
 * behave as on a Linux host; each test can script something else (hangs, drops, endless output).
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Server, utils, type Connection, type ServerChannel } from 'ssh2';

/** A key pair written by ssh-keygen. */
export interface KeyFiles {
  privatePath: string;
  publicPath: string;
  /** The key's type as ssh-keygen names it (ED25519, ECDSA, RSA). */
  keygenType: string;
  /** The fingerprint as `ssh-keygen -lf` prints it. */
  fingerprint: string;
}

/** Make a key pair with ssh-keygen (optionally encrypted with a passphrase). */
export function makeKey(
  dir: string,
  name: string,
  type: 'ed25519' | 'ecdsa' | 'rsa' = 'ed25519',
  passphrase = '',
): KeyFiles {
  const privatePath = path.join(dir, name);
  const bits = type === 'rsa' ? ['-b', '2048'] : [];
  execFileSync('ssh-keygen', ['-q', '-t', type, ...bits, '-N', passphrase, '-C', name, '-f', privatePath], {
    stdio: 'ignore',
  });
  const publicPath = `${privatePath}.pub`;
  const [, fingerprint, , kind] = keygenFingerprint(publicPath);
  return { privatePath, publicPath, keygenType: kind, fingerprint };
}

/** `ssh-keygen -lf FILE` split into its fields: bits, fingerprint, comment, (TYPE). */
export function keygenFingerprint(publicPath: string): [string, string, string, string] {
  const line = execFileSync('ssh-keygen', ['-lf', publicPath], { encoding: 'utf8' }).trim();
  const match = /^(\d+) (SHA256:\S+) (.*) \((\w+)\)$/.exec(line);
  if (!match) throw new Error(`unexpected ssh-keygen output: ${line}`);
  return [match[1], match[2], match[3], match[4]];
}

/** What a scripted exec receives. */
export type ExecHandler = (command: string, channel: ServerChannel, connection: Connection) => void;

/** How the test server behaves. */
export interface TestSshServerOptions {
  hostKey: KeyFiles;
  /** Public key files allowed to log in. */
  authorizedKeys?: string[];
  password?: string;
  /** 'hang' never answers a session channel request. */
  sessionChannel?: 'accept' | 'hang';
  onExec?: ExecHandler;
  /** Listen on this loopback port (0: any free one), e.g. to come back on a port with a new host key. */
  port?: number;
}

/** A running test server. */
export interface TestSshServer {
  host: '127.0.0.1';
  port: number;
  /** Authentication requests received, of any method ('none' included). */
  authAttempts: number;
  /** Commands received by exec requests. */
  commands: string[];
  /** Destroy every TCP connection (the host "drops"). */
  dropAll(): void;
  /** Stop reading every connection: the host hangs and answers nothing, keepalives included. */
  freezeAll(): void;
  close(): Promise<void>;
}

/** Run a command through the local /bin/sh, wired to the channel like sshd does. */
export const runLocally: ExecHandler = (command, channel) => {
  const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
  channel.pipe(child.stdin).on('error', () => {});
  child.stdout.pipe(channel, { end: false });
  child.stderr.pipe(channel.stderr, { end: false });
  child.on('close', (code, signal) => {
    if (code !== null) channel.exit(code);
    else channel.exit(signal ?? 'KILL', false, '');
    channel.end();
  });
  channel.on('close', () => child.kill('SIGKILL'));
};

/** Start a server; close it in afterEach/afterAll. */
export async function startSshServer(options: TestSshServerOptions): Promise<TestSshServer> {
  const allowed = (options.authorizedKeys ?? []).map((file) => {
    const key = utils.parseKey(fs.readFileSync(file));
    if (key instanceof Error) throw key;
    return Array.isArray(key) ? key[0] : key;
  });
  const sockets = new Set<net.Socket>();
  const state = { authAttempts: 0, commands: [] as string[] };
  const ssh = new Server({ hostKeys: [fs.readFileSync(options.hostKey.privatePath)] }, (connection) => {
    connection.on('error', () => {});
    connection.on('authentication', (ctx) => {
      state.authAttempts++;
      if (ctx.method === 'password' && options.password !== undefined && ctx.password === options.password)
        return ctx.accept();
      if (ctx.method === 'publickey') {
        const match = allowed.find((k) => k.type === ctx.key.algo && k.getPublicSSH().equals(ctx.key.data));
        if (match && (!ctx.signature || match.verify(ctx.blob as Buffer, ctx.signature, ctx.hashAlgo) === true))
          return ctx.accept();
      }
      ctx.reject(['publickey', 'password']);
    });
    connection.on('ready', () => {
      connection.on('session', (accept) => {
        if (options.sessionChannel === 'hang') return;
        const session = accept();
        session.on('exec', (acceptExec, _reject, info) => {
          state.commands.push(info.command);
          const channel = acceptExec();
          (options.onExec ?? runLocally)(info.command, channel, connection);
        });
      });
      connection.on('tcpip', (accept, reject, info) => {
        const upstream = net.connect(info.destPort, info.destIP);
        upstream.once('error', () => reject());
        upstream.once('connect', () => {
          const channel = accept();
          channel.pipe(upstream).pipe(channel);
          channel.on('close', () => upstream.destroy());
          upstream.on('close', () => channel.close());
          upstream.on('error', () => channel.close());
        });
      });
    });
  });
  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    ssh.injectSocket(socket);
  });
  await new Promise<void>((resolve) => tcp.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (tcp.address() as net.AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    get authAttempts() {
      return state.authAttempts;
    },
    commands: state.commands,
    dropAll() {
      for (const socket of sockets) socket.destroy();
    },
    freezeAll() {
      for (const socket of sockets) socket.pause();
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => tcp.close(() => resolve()));
    },
  };
}

/** A TCP server that accepts connections and never says a word (no SSH banner). */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  return {
    port: (tcp.address() as net.AddressInfo).port,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => tcp.close(() => resolve()));
    },
  };
}

/** Shared fixtures for the SSH engine tests: a temp dir of keys, a scripted server, a pool. */
import fs from 'node:fs';
import { tempDir } from '../../helpers/workspace';
import {
  makeKey,
  startSshServer,
  type KeyFiles,
  type TestSshServer,
  type TestSshServerOptions,
} from '../../helpers/ssh-server';
import { ConnectionPool, type PoolOptions } from '../../../electron/ssh/pool';
import { MemoryHostKeyPins } from '../../../electron/ssh/host-keys';
import type { Endpoint } from '../../../electron/ssh/endpoint';

/** Keys made once per test file (ssh-keygen is quick for ed25519, slower for RSA). */
export interface Lab {
  dir: string;
  hostKey: KeyFiles;
  otherHostKey: KeyFiles;
  clientKey: KeyFiles;
  cleanup(): void;
}

export function makeKeys(): Lab {
  const dir = tempDir('lifeboat-ssh-');
  return {
    dir,
    hostKey: makeKey(dir, 'host_ed25519'),
    otherHostKey: makeKey(dir, 'other_host_ed25519'),
    clientKey: makeKey(dir, 'client_ed25519'),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** A server that knows the lab's client key, plus the endpoint that reaches it. */
export async function serverFor(
  lab: Lab,
  options: Partial<TestSshServerOptions> = {},
): Promise<{ server: TestSshServer; endpoint: Endpoint }> {
  const server = await startSshServer({ hostKey: lab.hostKey, authorizedKeys: [lab.clientKey.publicPath], ...options });
  const endpoint: Endpoint = {
    host: server.host,
    port: server.port,
    user: 'root',
    auth: { kind: 'key', keyPath: lab.clientKey.privatePath },
    jump: null,
  };
  return { server, endpoint };
}

/** Pins that trust the given key for the server. */
export function pinsTrusting(server: { host: string; port: number }, key: KeyFiles): MemoryHostKeyPins {
  const pins = new MemoryHostKeyPins();
  pins.pin(server.host, server.port, { keyType: keyTypeOfFile(key.publicPath), fingerprint: key.fingerprint });
  return pins;
}

/** The type field of an OpenSSH public key line. */
export function keyTypeOfFile(publicPath: string): string {
  return fs.readFileSync(publicPath, 'utf8').split(' ')[0];
}

/** A pool with short deadlines so failing tests fail fast. */
export function testPool(options: PoolOptions): ConnectionPool {
  return new ConnectionPool({
    ...options,
    timeouts: {
      connectMs: 2_000,
      handshakeMs: 2_000,
      channelMs: 1_500,
      keepaliveIntervalMs: 1_000,
      keepaliveCountMax: 3,
      ...options.timeouts,
    },
  });
}

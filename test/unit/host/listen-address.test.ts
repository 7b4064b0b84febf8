/**
 * `lifeboat serve` listens on 127.0.0.1 only, judged from the kernel's own socket table
 * (/proc/net/tcp and tcp6), not from the URL it prints: exactly one listening socket on its port,
 * bound to 127.0.0.1; another loopback address (127.0.0.2) and ::1 are refused.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveConsole } from '../../../electron/cli/workspace';
import { createEnv } from '../../../electron/cli/env';
import { tempDir } from '../../helpers/workspace';

/** Listening TCP sockets on `port` from /proc/net/tcp{,6}: [family, local address in hex]. */
function listeners(port: number): { family: 'tcp' | 'tcp6'; address: string }[] {
  const found: { family: 'tcp' | 'tcp6'; address: string }[] = [];
  for (const family of ['tcp', 'tcp6'] as const) {
    const file = `/proc/net/${family}`;
    if (!fs.existsSync(file)) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 4) continue;
      const [address, hexPort] = fields[1].split(':');
      // State 0A is LISTEN.
      if (fields[3] === '0A' && parseInt(hexPort, 16) === port) found.push({ family, address });
    }
  }
  return found;
}

function connect(host: string, port: number): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

let stop: () => void;
let served: Promise<void>;
let port = 0;
let out = '';
const dir = tempDir('lifeboat-serve-');

beforeAll(async () => {
  const env = createEnv({ out: (t) => (out += `${t}\n`), err: () => undefined }, () => path.join(dir, 'workspace.db'));
  served = serveConsole(env, 0, new Promise<void>((resolve) => (stop = resolve)));
  const deadline = Date.now() + 15_000;
  while (!/Open: http:\/\/127\.0\.0\.1:(\d+)\//.test(out) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
  port = Number(/Open: http:\/\/127\.0\.0\.1:(\d+)\//.exec(out)?.[1]);
}, 30_000);
afterAll(async () => {
  stop?.();
  await served;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('lifeboat serve', () => {
  it('has one listening socket, bound to 127.0.0.1, as the kernel reports it', () => {
    expect(port).toBeGreaterThan(0);
    // 127.0.0.1 in /proc's little-endian hex is 0100007F.
    expect(listeners(port)).toEqual([{ family: 'tcp', address: '0100007F' }]);
  });

  it('answers on 127.0.0.1 and refuses another loopback address and ::1', async () => {
    expect(await connect('127.0.0.1', port)).toBe('connected');
    expect(await connect('127.0.0.2', port)).toBe('ECONNREFUSED');
    expect(['ECONNREFUSED', 'EADDRNOTAVAIL', 'EAFNOSUPPORT']).toContain(await connect('::1', port));
  });
});

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loopbackHost, startWebHost, type WebHost } from '../../../electron/host/web';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';

let ws: TempWorkspace;
let host: WebHost;

beforeAll(async () => {
  ws = openTempWorkspace();
  const staticDir = path.join(ws.dir, 'static');
  fs.mkdirSync(staticDir, { recursive: true });
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Lifeboat</title>');
  host = await startWebHost({ dispatcher: ws.dispatcher, staticDir });
});
afterAll(async () => {
  await host.close();
  ws.cleanup();
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}
function request(
  pathname: string,
  headers: Record<string, string> = {},
  method = 'GET',
  body?: string,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: host.port, path: pathname, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      );
    });
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

describe('headless host behind an SSH tunnel', () => {
  it('answers a loopback Host on any port, as a tunnel (ssh -L 9000:127.0.0.1:…) presents it', async () => {
    for (const name of ['127.0.0.1:9000', 'localhost:9000', 'LOCALHOST:1', '[::1]:9000', 'localhost']) {
      expect((await request(`/?token=${host.token}`, { Host: name })).status, name).toBe(200);
    }
  });

  it('still refuses other host names and malformed ports (DNS rebinding)', async () => {
    for (const name of [
      'evil.example:9000',
      'localhost.evil.example:9000',
      '127.0.0.1.nip.io:9000',
      '127.0.0.2:9000',
      'localhost:0',
      'localhost:65536',
      'localhost:9000x',
    ]) {
      expect((await request(`/?token=${host.token}`, { Host: name })).status, name).toBe(421);
    }
    expect(loopbackHost(undefined)).toBe(false);
  });

  it('lets the page open its event socket on the tunnel port (CSP and Origin)', async () => {
    const page = await request(`/?token=${host.token}`, { Host: '127.0.0.1:9000' });
    expect(page.headers['content-security-policy']).toContain("connect-src 'self' ws://127.0.0.1:9000");
    const opened = await new Promise<boolean>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${host.port}/events?token=${host.token}`, {
        headers: { Host: '127.0.0.1:9000', Origin: 'http://127.0.0.1:9000' },
      });
      socket.on('open', () => {
        socket.close();
        resolve(true);
      });
      socket.on('unexpected-response', () => resolve(false));
      socket.on('error', () => resolve(false));
    });
    expect(opened).toBe(true);
  });

  it('refuses the event socket from a foreign origin on a tunnel port', async () => {
    const status = await new Promise<number | string>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${host.port}/events?token=${host.token}`, {
        headers: { Origin: 'http://evil.example:9000' },
      });
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('open', () => resolve('open'));
      socket.on('error', (e) => resolve(e.message));
    });
    expect(status).toBe(403);
  });
});

describe('headless host and malformed paths', () => {
  it('answers 400 to a malformed percent-escape in a page path, and keeps serving', async () => {
    const reply = await request(`/%E0?token=${host.token}`);
    expect(reply.status).toBe(400);
    expect(reply.body).toContain('percent-encoding');
    expect((await request(`/?token=${host.token}`)).status).toBe(200);
  });

  it('answers 400 to a malformed percent-escape in an API path', async () => {
    const reply = await request(
      '/api/workspace.%E0',
      { 'X-Lifeboat-Token': host.token, 'Content-Type': 'application/json' },
      'POST',
      '{}',
    );
    expect(reply.status).toBe(400);
  });
});

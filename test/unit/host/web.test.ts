import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from '../../../electron/host/web';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';

let ws: TempWorkspace;
let host: WebHost;
let staticDir: string;

beforeAll(async () => {
  ws = openTempWorkspace();
  staticDir = path.join(ws.dir, 'static');
  fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Lifeboat</title>');
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(ws.dir, 'secret.txt'), 'do not serve');
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
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: host.port, path: pathname, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
        );
      },
    );
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(options.body);
  });
}
const api = (method: string, payload: unknown, headers: Record<string, string> = { 'X-Lifeboat-Token': host.token }) =>
  request(`/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(payload),
  });

describe('headless host', () => {
  it('listens on 127.0.0.1 only, with a long random token in the URL', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[A-Za-z0-9_-]{32}$`));
  });

  it('refuses the page, assets and the API without the token', async () => {
    expect((await request('/')).status).toBe(403);
    expect((await request('/assets/app.js')).status).toBe(403);
    expect((await request('/?token=wrong')).status).toBe(403);
    expect((await api('workspace.snapshot', {}, {})).status).toBe(403);
    expect((await api('workspace.snapshot', {}, { 'X-Lifeboat-Token': 'wrong' })).status).toBe(403);
  });

  it('serves the page with the token, sets a strict cookie for its assets, and a CSP', async () => {
    const page = await request(`/?token=${host.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Lifeboat</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const asset = await request('/assets/app.js', { headers: { Cookie: cookie.split(';')[0] } });
    expect(asset.status).toBe(200);
  });

  it('does not accept the cookie alone for API calls (no cross-site requests)', async () => {
    const page = await request(`/?token=${host.token}`);
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    expect((await api('workspace.snapshot', {}, { Cookie: cookie })).status).toBe(403);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect((await request(`/?token=${host.token}`, { headers: { Host: 'evil.example' } })).status).toBe(421);
  });

  it('never serves files outside the renderer folder', async () => {
    const page = await request(`/?token=${host.token}`);
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const reply = await request(p, { headers: { Cookie: cookie } });
      expect(reply.status, p).toBe(404);
      expect(reply.body).not.toContain('do not serve');
    }
  });

  it('carries the contract: validation errors with paths, results in envelopes', async () => {
    const bad = JSON.parse((await api('servers.save', { name: 'web-a', ssh: { host: 'a b' } })).body);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ path: ['ssh', 'host'] }] } });
    const good = JSON.parse((await api('servers.save', { name: 'web-a', ssh: { host: '192.0.2.11' } })).body);
    expect(good).toMatchObject({ ok: true, value: { name: 'web-a' } });
    const notJson = await request('/api/workspace.snapshot', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Lifeboat-Token': host.token },
      body: '{',
    });
    expect(JSON.parse(notJson.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('refuses a WebSocket without the token and pushes events to one with it', async () => {
    const refused = new WebSocket(`ws://127.0.0.1:${host.port}/events`);
    const refusal = await new Promise<string>((resolve) => {
      refused.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      refused.on('error', () => resolve('error'));
    });
    expect(refusal).toBe('403');

    const socket = new WebSocket(`ws://127.0.0.1:${host.port}/events?token=${host.token}`);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const message = new Promise<{ event: string; payload: { method: string } }>((resolve) =>
      socket.once('message', (data) => resolve(JSON.parse(String(data)))),
    );
    await api('contacts.save', { name: 'Sam Patel' });
    const received = await message;
    expect(received).toMatchObject({ event: 'workspace.changed', payload: { method: 'contacts.save' } });
    socket.close();
  });
});

/** The headless host answers nothing without its per-start token: pages, API calls, events. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startConsole, startHost, type ConsoleHost } from './console';

describe('the headless host without the token', () => {
  let host: ConsoleHost;

  beforeAll(async () => {
    host = await startHost();
  });
  afterAll(async () => {
    await host?.stop();
  });

  const post = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${host.origin}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: '{}',
      signal: AbortSignal.timeout(5000),
    });

  it('refuses the page without the token, and serves it with it', async () => {
    expect((await fetch(`${host.origin}/`, { signal: AbortSignal.timeout(5000) })).status).toBe(403);
    expect((await fetch(`${host.origin}/index.html?token=wrong`, { signal: AbortSignal.timeout(5000) })).status).toBe(
      403,
    );
    const page = await fetch(host.url, { signal: AbortSignal.timeout(5000) });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('refuses API calls without the token header or with a wrong one', async () => {
    expect((await post('/api/workspace.snapshot')).status).toBe(403);
    expect((await post('/api/workspace.snapshot', { 'X-Lifeboat-Token': 'wrong' })).status).toBe(403);
    // The token in the address is not enough for the API: it must come in the header.
    expect((await post(`/api/workspace.snapshot?token=${host.token}`)).status).toBe(403);
    const ok = await post('/api/workspace.snapshot', { 'X-Lifeboat-Token': host.token });
    expect(ok.status).toBe(200);
    expect((await ok.json()) as { ok: boolean }).toMatchObject({ ok: true });
  });

  it('refuses the event socket without the token', async () => {
    const status = await new Promise<number | string>((resolve) => {
      const socket = new WebSocket(`${host.origin.replace('http', 'ws')}/events`);
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => {
        socket.close();
        resolve('open');
      });
      socket.on('error', (error) => resolve(error.message));
    });
    expect(status).not.toBe('open');
  });

  it('answers 400 to a malformed percent-escape and the process keeps serving', async () => {
    const bad = await fetch(`${host.origin}/%E0?token=${host.token}`, { signal: AbortSignal.timeout(5000) });
    expect(bad.status).toBe(400);
    expect((await fetch(host.url, { signal: AbortSignal.timeout(5000) })).status).toBe(200);
  });
});

describe('the page in Chromium under both policies (meta tag and header)', () => {
  it('loads, and opens its event socket without a CSP violation', async () => {
    const session = await startConsole();
    try {
      await session.page.goto(session.host.url);
      await session.page.getByRole('heading', { level: 1 }).first().waitFor();
      const opened = await session.page.evaluate(
        (token) =>
          new Promise<string>((resolve) => {
            const socket = new window.WebSocket(`ws://${location.host}/events?token=${token}`);
            socket.onopen = () => resolve('open');
            socket.onerror = () => resolve('error');
            setTimeout(() => resolve('timeout'), 4000);
          }),
        session.host.token,
      );
      expect(opened).toBe('open');
      expect(
        await session.page.evaluate(() =>
          document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'),
        ),
      ).toContain("script-src 'self'");
      expect(session.pageErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
    } finally {
      await session.cleanup();
    }
  }, 60_000);
});

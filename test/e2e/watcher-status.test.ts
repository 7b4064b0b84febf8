/**
 * Who watches the watcher, on the Dashboard in a real browser against `lifeboat serve`: when the
 * last sweep ran, when the heartbeat was last accepted (or that its last ping was refused), and the
 * heartbeat URL set and refused through the contract. No check runs anywhere but here: the
 * workspace is empty and the receiver is on loopback.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../electron/app';
import { saveHeartbeatState, setHeartbeatUrl } from '../../electron/watcher/heartbeat-store';
import type { HeartbeatStatus } from '../../shared/heartbeat';
import { eventually, screenshot, startConsole, type ConsoleSession } from './console';

describe('the Dashboard watcher panel', () => {
  let session: ConsoleSession;
  let receiver: http.Server;
  let receiverUrl = '';
  const page = () => session.page;

  beforeAll(async () => {
    receiver = http.createServer((_req, res) => res.writeHead(200).end('OK'));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/ping/7d2e`;
    session = await startConsole({
      // A watcher that has been running: a ping accepted 3 minutes ago, then its sweep failed and that was reported.
      prepareDb: async (dbPath) => {
        const app = openApp(dbPath, () => {});
        try {
          const created = await app.dispatcher.dispatch('workspace.create', {
            template: 'empty',
            companyName: 'Watcher test',
          });
          if (!created.ok) throw new Error(created.error.message);
          const now = Date.now();
          setHeartbeatUrl(app.db, receiverUrl);
          saveHeartbeatState(app.db, {
            lastSweep: { at: now - 120_000, ok: false, detail: 'the SSH engine is gone' },
            lastPing: { at: now - 60_000, kind: 'fail', accepted: true, detail: 'HTTP 200' },
            lastAcceptedAt: now - 180_000,
          });
        } finally {
          app.dispose();
        }
      },
    });
  });
  afterAll(async () => {
    await session?.cleanup();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const origin = () => receiverUrl.replace('/ping/7d2e', '');

  it('says when the last sweep ran and failed, and when the heartbeat was last accepted', async () => {
    await page().goto(session.host.url);
    const panel = page().getByTestId('watcher-status');
    await panel.waitFor();
    // The panel is drawn before the host answers; until then it claims nothing about sweeps.
    await eventually(async () =>
      expect(await panel.getByTestId('watcher-last-sweep').textContent()).toBe(
        'Last sweep 2 min ago failed: the SSH engine is gone',
      ),
    );
    const heartbeat = panel.getByTestId('watcher-heartbeat');
    expect(await heartbeat.textContent()).toBe(
      `Heartbeat to ${origin()}/… every 60 s: last accepted 3 min ago (reported a failed sweep)`,
    );
    expect(await heartbeat.getAttribute('class')).toBe('live-alarm');
    expect(await panel.textContent()).not.toContain('7d2e'); // the URL's secret path never comes back out
    await screenshot(page(), 'dashboard-watcher');
  });

  it('refuses a URL that is not http or https, with the reason next to the field, and keeps the one set', async () => {
    const panel = page().getByTestId('watcher-status');
    await panel.getByLabel('New heartbeat URL').fill('ftp://hc.example/ping/x');
    await panel.getByRole('button', { name: 'Save heartbeat URL' }).click();
    await eventually(async () =>
      expect(await panel.locator('.field-error').textContent()).toContain('is not an http:// or https:// URL'),
    );
    expect((await session.host.call<HeartbeatStatus>('heartbeat.status')).target).toBe(`${origin()}/…`);
  });

  it('stops the heartbeat on request', async () => {
    const panel = page().getByTestId('watcher-status');
    await panel.getByRole('button', { name: 'Stop the heartbeat' }).click();
    await eventually(async () =>
      expect(await panel.getByTestId('watcher-heartbeat').textContent()).toContain('No heartbeat URL'),
    );
    expect((await session.host.call<HeartbeatStatus>('heartbeat.status')).target).toBeNull();
  });

  it('sets a URL and shows where pings go, not yet accepted', async () => {
    const panel = page().getByTestId('watcher-status');
    await panel.getByLabel('Heartbeat URL').fill(receiverUrl);
    await panel.getByRole('button', { name: 'Save heartbeat URL' }).click();
    await eventually(async () =>
      expect(await panel.getByTestId('watcher-heartbeat').textContent()).toBe(
        `Heartbeat to ${origin()}/… every 60 s: never accepted yet`,
      ),
    );
    expect((await session.host.call<HeartbeatStatus>('heartbeat.status')).target).toBe(`${origin()}/…`);
  });
});

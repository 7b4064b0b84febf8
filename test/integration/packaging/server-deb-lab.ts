/**
 * The lifeboat-server .deb on one of the lab's real Debian hosts (systemd as PID 1): installed with
 * dpkg, the service started by its postinst, reached from this machine only through an SSH tunnel,
 * the same token after `systemctl restart`, restarted by systemd after `kill -9`, a new token after
 * `lifeboat serve --rotate-token`, and `systemd-analyze security` printed. Called by server-package.test.ts, which builds the .deb once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { expect, it } from 'vitest';
import { describeLab, type Lab } from '../../helpers/lab';

/** The host that plays the always-on watcher box (it is in no failover group). */
const HOST = 'pbx';
const SERVE_PORT = 8470;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** workspace.info through the tunnel: the HTTP status, or undefined when nothing answers yet. */
async function apiStatus(port: number, token: string | null): Promise<number | undefined> {
  const response = await fetch(`http://127.0.0.1:${port}/api/workspace.info`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { 'X-Lifeboat-Token': token } : {}) },
    body: '{}',
    signal: AbortSignal.timeout(5_000),
  });
  await response.body?.cancel();
  return response.status;
}

/** The lab tests of the .deb; `deb()` is the built package's path. */
export function describeServerDebInLab(deb: () => string): void {
  describeLab('the lifeboat-server .deb on a real Debian host of the lab', (lab: () => Lab) => {
    let tunnel: ChildProcess | null = null;

    const run = async (script: string, timeoutMs = 60_000) => {
      const result = await lab().exec(HOST, ['sh', '-c', script], { timeoutMs });
      if (result.code !== 0)
        throw new Error(`${HOST}: ${script} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
      return result.stdout.trim();
    };
    const mainPid = async () => Number(await run('systemctl show -p MainPID --value lifeboat-serve'));

    it('installs with dpkg, starts the service, and answers only through an SSH tunnel, with the token from its 0600 file', async () => {
      const pid1 = lab().outerPid(HOST, 1);
      expect(pid1).not.toBeNull();
      fs.copyFileSync(deb(), `/proc/${pid1}/root/var/tmp/lifeboat-server.deb`);
      await run('dpkg -i /var/tmp/lifeboat-server.deb', 180_000);
      await until(
        'the service active and its token made',
        async () =>
          (await run('systemctl is-active lifeboat-serve; test -s /var/lib/lifeboat/serve.token && echo made')) ===
          'active\nmade'
            ? true
            : undefined,
        60_000,
      );
      expect(await run('stat -c "%a %U" /var/lib/lifeboat/serve.token')).toBe('600 lifeboat');
      expect(await run('stat -c "%a %U" /var/lib/lifeboat')).toBe('750 lifeboat');
      expect(await run('ps -o user= -p "$(systemctl show -p MainPID --value lifeboat-serve)"')).toBe('lifeboat');
      // Listening on loopback only: nothing on the host's lab address.
      await until(
        'the listener',
        async () => ((await run('ss -Hltn')).includes(`127.0.0.1:${SERVE_PORT}`) ? true : undefined),
        30_000,
      );
      expect(await run('ss -Hltn')).not.toMatch(new RegExp(`(0\\.0\\.0\\.0|\\*|\\[::\\]):${SERVE_PORT}\\b`));
      const direct = await lab().probe(`http://${lab().hosts[HOST].ip}:${SERVE_PORT}/`, { timeoutMs: 3_000 });
      expect(direct.status).toBe(0);

      const token = await run('cat /var/lib/lifeboat/serve.token');
      const port = await freePort();
      const args = lab().sshArgs(HOST);
      tunnel = spawn(
        'ssh',
        [
          ...args.slice(0, -1),
          '-N',
          '-o',
          'ExitOnForwardFailure=yes',
          '-L',
          `127.0.0.1:${port}:127.0.0.1:${SERVE_PORT}`,
          args[args.length - 1],
        ],
        { stdio: 'ignore' },
      );
      expect(await until('the API through the tunnel', () => apiStatus(port, token), 30_000)).toBe(200);
      expect(await apiStatus(port, null)).toBe(403);

      await run('systemctl restart lifeboat-serve');
      expect(await run('cat /var/lib/lifeboat/serve.token')).toBe(token);
      expect(
        await until(
          'the API after systemctl restart, same token',
          async () => ((await apiStatus(port, token)) === 200 ? 200 : undefined),
          30_000,
        ),
      ).toBe(200);

      const killed = await mainPid();
      expect(killed).toBeGreaterThan(0);
      await run(`kill -9 ${killed}`);
      const restarted = await until(
        'systemd to restart it after kill -9',
        async () => {
          const pid = await mainPid();
          return pid > 0 && pid !== killed && (await run('systemctl is-active lifeboat-serve')) === 'active'
            ? pid
            : undefined;
        },
        30_000,
      );
      expect(restarted).not.toBe(killed);
      expect(
        await until(
          'the API after kill -9, same token',
          async () => ((await apiStatus(port, token)) === 200 ? 200 : undefined),
          30_000,
        ),
      ).toBe(200);

      // Rotated as the admin would, as root: the file stays the service user's, 0600; the old token stops working.
      await run('lifeboat serve --rotate-token && systemctl restart lifeboat-serve');
      expect(await run('stat -c "%a %U" /var/lib/lifeboat/serve.token')).toBe('600 lifeboat');
      const rotated = await run('cat /var/lib/lifeboat/serve.token');
      expect(rotated).not.toBe(token);
      expect(
        await until(
          'the API with the rotated token',
          async () => ((await apiStatus(port, rotated)) === 200 ? 200 : undefined),
          30_000,
        ),
      ).toBe(200);
      expect(await apiStatus(port, token)).toBe(403);

      const security = await lab().exec(HOST, ['systemd-analyze', 'security', '--no-pager', 'lifeboat-serve'], {
        timeoutMs: 60_000,
      });
      console.log(`systemd-analyze security lifeboat-serve (on ${HOST}):\n${security.stdout}`);
      const exposure = /Overall exposure level for lifeboat-serve\.service: ([0-9.]+)/.exec(security.stdout);
      expect(exposure).not.toBeNull();
      expect(Number(exposure![1])).toBeLessThan(3);
    }, 420_000);

    it('leaves the host as it found it: purged, the user and state directory removed', async () => {
      tunnel?.kill('SIGTERM');
      tunnel = null;
      await run(
        'dpkg --purge lifeboat-server && rm -rf /var/lib/lifeboat /var/tmp/lifeboat-server.deb && (userdel lifeboat || true) && (groupdel lifeboat 2>/dev/null || true)',
        120_000,
      );
      expect(await run('systemctl is-active lifeboat-serve || true')).not.toBe('active');
      expect(await run('getent passwd lifeboat || echo none')).toBe('none');
    }, 180_000);
  });
}

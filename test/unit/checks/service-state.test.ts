/**
 * Service checks read the unit state (systemctl is-active, rcctl check); unknown when the tool is
 * missing or systemd is not running; a process name only when the check asks for one. Judged from
 * fake outputs, then from fake tools on PATH run by a real shell, then through the real SSH engine
 * against the in-process ssh2 server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { moduleOf } from '../../../electron/checks/kinds';
import { planCheck } from '../../../electron/checks/plan';
import { sweep } from '../../../electron/checks/sweep';
import { insertHostKeyPin } from '../../../electron/db/repositories/host-keys';
import type { NamedResult } from '../../../shared/contract/checks';
import type { Check, CheckDraft, CheckOf } from '../../../shared/checks';
import type { Server } from '../../../shared/domain';
import { makeKey, startSshServer, type TestSshServer } from '../../helpers/ssh-server';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { check, contextOf, loopbackInventory, webA, webB } from './fixtures';
import { fakeToolsDir, LocalShellRunner, ok, unreachable } from './runners';

const svc = (unit: string, manager: 'auto' | 'systemd' | 'rcctl' | 'process' = 'auto') =>
  check({ kind: 'service', name: unit, serverId: 1, params: { unit, manager } }) as CheckOf<'service'>;
const judge = (c: Check, ...outputs: [Server, string][]) =>
  moduleOf('service').evaluate(
    outputs.map(([server, stdout]) => ({ server, outcome: stdout === 'unreachable' ? unreachable() : ok(stdout) })),
    contextOf(c),
  );

describe('service check: judged from what the tools printed', () => {
  it('systemd: active or reloading is ok; inactive, failed or no such unit fail; activating warns', () => {
    const nginx = svc('nginx');
    expect(judge(nginx, [webA, 'manager=running\nsystemd=active\nload=loaded'])).toMatchObject({
      status: 'ok',
      summary: 'nginx is active (systemd) on web-a',
    });
    expect(judge(nginx, [webA, 'manager=degraded\nsystemd=reloading\nload=loaded']).status).toBe('ok');
    expect(judge(nginx, [webA, 'manager=running\nsystemd=failed\nload=loaded'])).toMatchObject({
      status: 'fail',
      summary: 'nginx is not running on web-a: failed (systemd)',
    });
    expect(judge(nginx, [webA, 'manager=running\nsystemd=inactive\nload=loaded']).status).toBe('fail');
    expect(judge(nginx, [webA, 'manager=running\nsystemd=inactive\nload=not-found'])).toMatchObject({
      status: 'fail',
      summary: 'nginx is not running on web-a: no such unit (systemd)',
    });
    expect(judge(nginx, [webA, 'manager=running\nsystemd=activating\nload=loaded']).status).toBe('warn');
  });

  it('is unknown, never ok or fail, when the tool is missing, systemd is not running, or the answer is odd', () => {
    const nginx = svc('nginx');
    expect(judge(nginx, [webA, 'missing=systemctl-and-rcctl'])).toMatchObject({
      status: 'unknown',
      summary: 'nginx on web-a: neither systemctl nor rcctl is installed',
    });
    expect(judge(svc('nginx', 'systemd'), [webA, 'missing=systemctl']).summary).toContain('systemctl is not installed');
    expect(judge(nginx, [webA, 'manager=offline\nsystemd=none\nload=none'])).toMatchObject({ status: 'unknown' });
    expect(judge(nginx, [webA, 'manager=offline\nsystemd=none\nload=none']).summary).toContain(
      'systemd is not running there',
    );
    expect(judge(nginx, [webA, 'manager=running\nsystemd=\u001b[31mweird\nload=loaded']).status).toBe('unknown');
    expect(judge(nginx, [webA, '']).status).toBe('unknown');
  });

  it('rcctl: 0 runs, 1 stopped, 2 no such script, anything else unknown', () => {
    const httpd = svc('httpd', 'rcctl');
    expect(judge(httpd, [webA, 'rcctl=0'])).toMatchObject({
      status: 'ok',
      summary: 'httpd is running (rcctl) on web-a',
    });
    expect(judge(httpd, [webA, 'rcctl=1']).status).toBe('fail');
    expect(judge(httpd, [webA, 'rcctl=2']).summary).toContain('no such rc.d script');
    expect(judge(httpd, [webA, 'rcctl=127']).status).toBe('unknown');
  });

  it('a process name counts only when asked for: auto never looks for one', () => {
    expect(judge(svc('postgres', 'process'), [webA, 'process=3'])).toMatchObject({
      status: 'ok',
      summary: 'postgres is running (3 processes) on web-a',
    });
    expect(judge(svc('postgres', 'process'), [webA, 'process=0']).status).toBe('fail');
    expect(check({ kind: 'service', name: 'x', serverId: 1, params: { unit: 'x' } }).params).toEqual({
      unit: 'x',
      manager: 'auto',
    });
    expect(
      moduleOf('service').script(svc('postgresql@15-main').params as never, webA, contextOf(svc('x'))).text,
    ).not.toContain('pgrep');
  });

  it('on a group: ok when one member runs it, unknown when none runs it and one could not be read', () => {
    const group = check({ kind: 'service', name: 'nginx', groupId: 10, params: { unit: 'nginx' } });
    expect(
      judge(group, [webA, 'manager=running\nsystemd=active'], [webB, 'manager=running\nsystemd=inactive']),
    ).toMatchObject({ status: 'ok', summary: 'nginx runs on web-a (not on web-b)' });
    expect(judge(group, [webA, 'manager=running\nsystemd=inactive'], [webB, 'unreachable']).status).toBe('unknown');
    expect(
      judge(group, [webA, 'manager=running\nsystemd=inactive'], [webB, 'manager=running\nsystemd=failed']).status,
    ).toBe('fail');
  });
});

/** A directory of fake tools: systemctl and rcctl answer from files, as the real ones answer from the service manager. */
function fakeTools(
  dir: string,
  units: Record<string, string>,
  options: { offline?: boolean; tools?: ('systemctl' | 'rcctl')[] } = {},
): string {
  const bin = path.join(dir, `bin-${Math.random().toString(36).slice(2)}`);
  const state = path.join(bin, 'units');
  fs.mkdirSync(state, { recursive: true });
  for (const [unit, value] of Object.entries(units)) fs.writeFileSync(path.join(state, unit), `${value}\n`);
  fs.symlinkSync(fs.realpathSync('/usr/bin/env'), path.join(bin, 'env'));
  const tools = options.tools ?? ['systemctl'];
  if (tools.includes('systemctl')) {
    fs.writeFileSync(
      path.join(bin, 'systemctl'),
      `#!/bin/sh
case "$1" in
  is-system-running) ${options.offline ? 'echo offline; exit 1' : 'echo running; exit 0'} ;;
  is-active) ${options.offline ? 'exit 1' : `if [ -f '${state}'/"$3" ]; then s=$(cat '${state}'/"$3"); echo "$s"; [ "$s" = active ]; exit; fi; echo inactive; exit 4`} ;;
  show) if [ -f '${state}'/"$6" ]; then echo loaded; else echo not-found; fi ;;
esac
`,
      { mode: 0o755 },
    );
  }
  if (tools.includes('rcctl')) {
    fs.writeFileSync(
      path.join(bin, 'rcctl'),
      `#!/bin/sh\n[ -f '${state}'/"$2" ] || exit 2\nread -r s < '${state}'/"$2"\n[ "$s" = active ]\n`,
      { mode: 0o755 },
    );
  }
  return bin;
}

describe('service check: the real script against fake tools', () => {
  const tools = fakeToolsDir('lifeboat-service-');
  const dir = () => tools.dir();

  async function run(draft: CheckDraft, pathValue: string) {
    tools.usePath(pathValue);
    const planned = planCheck(check({ timeoutSeconds: 10, ...draft }), loopbackInventory());
    return (await sweep([planned], new LocalShellRunner())).runs[0].evaluation;
  }
  const draft = (unit: string, manager: 'auto' | 'systemd' | 'rcctl' | 'process' = 'auto'): CheckDraft => ({
    kind: 'service',
    name: unit,
    serverId: 1,
    params: { unit, manager },
  });

  it('reads the unit state through systemctl: active ok, failed fail, unknown unit fail', async () => {
    const bin = fakeTools(dir(), { 'postgresql@15-main': 'active', crm: 'failed' });
    expect(await run(draft('postgresql@15-main'), `${bin}:/usr/bin:/bin`)).toMatchObject({
      status: 'ok',
      summary: 'postgresql@15-main is active (systemd) on here',
    });
    expect(await run(draft('crm'), `${bin}:/usr/bin:/bin`)).toMatchObject({
      status: 'fail',
      summary: 'crm is not running on here: failed (systemd)',
    });
    expect((await run(draft('nosuch'), `${bin}:/usr/bin:/bin`)).summary).toContain('no such unit');
  });

  it('is unknown where systemd is not running, and where neither tool exists', async () => {
    expect(
      (await run(draft('nginx'), `${fakeTools(dir(), { nginx: 'active' }, { offline: true })}:/usr/bin:/bin`)).status,
    ).toBe('unknown');
    const bare = fakeTools(dir(), {}, { tools: [] });
    expect(await run(draft('nginx'), bare)).toMatchObject({
      status: 'unknown',
      summary: 'nginx on here: neither systemctl nor rcctl is installed',
    });
    expect((await run(draft('nginx', 'process'), bare)).summary).toContain('pgrep is not installed');
  });

  it('uses rcctl where there is no systemctl (OpenBSD)', async () => {
    const bin = fakeTools(dir(), { httpd: 'active', smtpd: 'stopped' }, { tools: ['rcctl'] });
    expect((await run(draft('httpd'), bin)).status).toBe('ok');
    expect((await run(draft('smtpd'), bin)).status).toBe('fail');
    expect((await run(draft('nothing'), bin)).summary).toContain('no such rc.d script');
  });
});

describe('service check: through the SSH engine on the in-process ssh2 server', () => {
  const tools = fakeToolsDir('lifeboat-service-ssh-');
  let server: TestSshServer;
  let ws: TempWorkspace;
  afterEach(async () => {
    ws.cleanup();
    await server.close();
  });

  it('is ok for every running unit of a healthy host, and fails for the one that stopped', async () => {
    const hostKey = makeKey(tools.dir(), 'host');
    const clientKey = makeKey(tools.dir(), 'client');
    server = await startSshServer({ hostKey, authorizedKeys: [clientKey.publicPath] });
    // The server runs each command in a local sh, which finds the fake systemctl first.
    tools.usePath(`${fakeTools(tools.dir(), { nginx: 'active', crm: 'active', fileshare: 'inactive' })}:/usr/bin:/bin`);
    ws = openTempWorkspace();
    const host = await ws.ok<Server>('servers.save', {
      name: 'web-a',
      ssh: {
        host: server.host,
        port: server.port,
        user: 'root',
        auth: { kind: 'key', keyPath: clientKey.privatePath },
      },
    });
    const keyType = fs.readFileSync(hostKey.publicPath, 'utf8').split(' ')[0];
    insertHostKeyPin(ws.db, {
      host: server.host,
      port: server.port,
      keyType,
      fingerprint: hostKey.fingerprint,
      publicKey: 'AAAA',
      pinnedAt: 'now',
      pinnedBy: 'test',
    });
    for (const unit of ['nginx', 'crm', 'fileshare'])
      await ws.ok('checks.save', { kind: 'service', name: unit, serverId: host.id, params: { unit } });
    // The workspace's context carries the SSH engine's runner (openApp wires it).
    const results = await ws.ok<NamedResult[]>('checks.runNow', {});
    const byName = Object.fromEntries(results.map((r) => [r.name, `${r.status}: ${r.summary}`]));
    expect(byName).toEqual({
      nginx: 'ok: nginx is active (systemd) on web-a',
      crm: 'ok: crm is active (systemd) on web-a',
      fileshare: 'fail: fileshare is not running on web-a: inactive (systemd)',
    });
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failoverFixture, until, type FailoverFixture } from './fixture';
import { viewRun } from '../../../electron/failover/engine';
import { startConfirmed } from './confirmed';
import { interpretService, serviceScript, UNIT_NOT_FOUND_EXIT } from '../../../electron/failover/actions/service';

describe('service scripts', () => {
  it('systemd: checks the unit exists (LoadState not-found → exit 5) before changing it', () => {
    const script = serviceScript('linux', 'stop', 'nginx');
    const lines = script.split('\n');
    expect(lines[0]).toBe(`if [ "$(systemctl show -p LoadState --value -- 'nginx' 2>/dev/null)" = not-found ]; then echo 'lifeboat: not-found'; exit 5; fi`);
    expect(lines[1]).toBe("systemctl stop -- 'nginx'");
    expect(script).toContain("if systemctl is-active --quiet -- 'nginx' >/dev/null 2>&1; then echo active; else echo inactive; fi");
  });

  it('OpenBSD: rcctl get refuses an unknown service, then rcctl start/stop/restart and rcctl check', () => {
    const start = serviceScript('openbsd', 'start', 'httpd').split('\n');
    expect(start[0]).toBe("if ! rcctl get 'httpd' >/dev/null 2>&1; then echo 'lifeboat: not-found'; exit 5; fi");
    expect(start[1]).toBe("rcctl start 'httpd'");
    expect(start[3]).toBe("if rcctl check 'httpd' >/dev/null 2>&1; then echo active; else echo inactive; fi");
    expect(serviceScript('openbsd', 'stop', 'postgresql').split('\n')[1]).toBe("rcctl stop 'postgresql'");
    expect(serviceScript('openbsd', 'restart', 'smtpd').split('\n')[1]).toBe("rcctl restart 'smtpd'");
    expect(() => serviceScript('openbsd', 'stop', 'httpd; reboot')).toThrow();
  });

  it('a unit that does not exist fails clearly, for stop as for start', () => {
    for (const verb of ['stop', 'start'] as const) {
      const missing = interpretService(verb, 'ngnix', 'web-a', { code: UNIT_NOT_FOUND_EXIT, stdout: 'lifeboat: not-found\n', stderr: '' });
      expect(missing.status).toBe('failed');
      expect(missing.message).toMatch(/ngnix does not exist on web-a \(not-found\)/);
    }
    // systemctl's own "not loaded" status without the marker (e.g. the unit vanished in between).
    expect(interpretService('stop', 'x', 'web-a', { code: 5, stdout: 'inactive\n', stderr: 'Failed to stop x.service: Unit x.service not loaded.' }).status).toBe('failed');
  });

  it('judges by the re-read state: stopped after stop, active after start, else failed', () => {
    expect(interpretService('stop', 'nginx', 'web-a', { code: 0, stdout: 'inactive\n', stderr: '' }).status).toBe('succeeded');
    expect(interpretService('start', 'nginx', 'web-a', { code: 0, stdout: 'active\n', stderr: '' }).status).toBe('succeeded');
    expect(interpretService('start', 'nginx', 'web-a', { code: 1, stdout: 'inactive\n', stderr: 'Job failed' })).toMatchObject({ status: 'failed', message: expect.stringMatching(/not active after start: Job failed/) });
    expect(interpretService('stop', 'nginx', 'web-a', { code: 0, stdout: 'active\n', stderr: '' }).message).toMatch(/still active after stop/);
  });
});

describe('service steps in a run', () => {
  let f: FailoverFixture;
  beforeEach(async () => {
    f = await failoverFixture();
  });
  afterEach(() => f.ws.cleanup());

  it('stopping a unit that is not installed halts the run instead of succeeding', async () => {
    f.fake.hosts.get('web-a')!.installedUnits = new Set(['nginx']);
    await f.ws.ok('runbooks.save', {
      groupId: f.groups.web.id, direction: 'failover', sourceServerId: f.servers['web-a'].id, targetServerId: f.servers['web-b'].id,
      steps: [{ type: 'action', title: 'Stop the CRM', serverId: f.servers['web-a'].id, action: { kind: 'service.stop', params: { unit: 'crm-app' } } }],
    });
    const started = await startConfirmed(f.deps, { groupId: f.groups.web.id, targetServerId: f.servers['web-b'].id, mode: 'real', confirmation: 'web' });
    await until(() => viewRun(f.ws.db, started.runId!).waiting !== null);
    expect(viewRun(f.ws.db, started.runId!).steps[0]).toMatchObject({ status: 'failed', message: expect.stringMatching(/crm-app does not exist on web-a/) });
  });
});

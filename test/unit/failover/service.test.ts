import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failoverFixture, type FailoverFixture } from './fixture';
import { startConfirmed } from './confirmed';
import { interpretService, serviceScript, UNIT_NOT_FOUND_EXIT } from '../../../electron/failover/actions/service';

describe('service scripts', () => {
  it('systemd: checks the unit is loaded (not-found → exit 5, anything unread → exit 6) before changing it', () => {
    const script = serviceScript('linux', 'stop', 'nginx');
    const lines = script.split('\n');
    expect(lines[0]).toBe(`ls=$(systemctl show -p LoadState --value -- 'nginx' 2>&1 | head -n 1)`);
    expect(lines[1]).toBe(`if [ "$ls" = not-found ]; then echo 'lifeboat: not-found'; exit 5; fi`);
    expect(lines[2]).toBe(`if [ "$ls" != loaded ]; then echo "lifeboat: load state unknown: $ls"; exit 6; fi`);
    expect(lines[3]).toBe("systemctl stop -- 'nginx'");
    expect(script).toContain(`s=$(systemctl is-active -- 'nginx' 2>&1 | head -n 1); case "$s" in active) echo active ;; inactive|failed) echo inactive ;; *) echo "unknown: $s" ;; esac`);
  });

  it('OpenBSD: rcctl must exist, rcctl get refuses an unknown service, then rcctl start/stop/restart and rcctl check', () => {
    const start = serviceScript('openbsd', 'start', 'httpd').split('\n');
    expect(start[0]).toBe("if ! command -v rcctl >/dev/null; then echo 'lifeboat: load state unknown: no rcctl'; exit 6; fi");
    expect(start[1]).toBe("if ! rcctl get 'httpd' >/dev/null 2>&1; then echo 'lifeboat: not-found'; exit 5; fi");
    expect(start[2]).toBe("rcctl start 'httpd'");
    expect(start[4]).toBe("if rcctl check 'httpd' >/dev/null 2>&1; then echo active; elif [ $? -eq 1 ]; then echo inactive; else echo 'unknown: rcctl check failed'; fi");
    expect(serviceScript('openbsd', 'stop', 'postgresql').split('\n')[2]).toBe("rcctl stop 'postgresql'");
    expect(serviceScript('openbsd', 'restart', 'smtpd').split('\n')[2]).toBe("rcctl restart 'smtpd'");
    expect(() => serviceScript('openbsd', 'stop', 'httpd; reboot')).toThrow();
  });

  it('a state that was not proven is never a successful stop: systemctl missing, or no state line', () => {
    const unread = interpretService('stop', 'nginx', 'web-a', { code: 6, stdout: 'lifeboat: load state unknown: System has not been booted with systemd as init system (PID 1).\n', stderr: '' });
    expect(unread).toMatchObject({ status: 'failed', message: expect.stringMatching(/could not be read .*nothing was changed/) });
    expect(interpretService('stop', 'nginx', 'web-a', { code: 0, stdout: 'unknown: Failed to connect to bus\n', stderr: '' }).status).toBe('indeterminate');
    expect(interpretService('stop', 'nginx', 'web-a', { code: 127, stdout: '', stderr: 'sh: systemctl: not found' }).status).toBe('indeterminate');
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

  it('a unit a step stops that is not installed is refused at pre-flight, before anything runs', async () => {
    f.fake.hosts.get('web-a')!.installedUnits = new Set(['nginx']);
    await f.ws.ok('runbooks.save', {
      groupId: f.groups.web.id, direction: 'failover', sourceServerId: f.servers['web-a'].id, targetServerId: f.servers['web-b'].id,
      steps: [{ type: 'action', title: 'Stop the CRM', serverId: f.servers['web-a'].id, action: { kind: 'service.stop', params: { unit: 'crm-app' } } }],
    });
    const started = await startConfirmed(f.deps, { groupId: f.groups.web.id, targetServerId: f.servers['web-b'].id, mode: 'real', confirmation: 'web' });
    expect(started.refused).toMatch(/crm-app does not exist on web-a \(LoadState not-found\)/);
    expect(f.fake.calls.some((c) => c.script.includes('systemctl stop'))).toBe(false);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failoverFixture, type FailoverFixture } from './fixture';
import { startConfirmed } from './confirmed';
import {
  interpretService,
  serviceScript,
  serviceStart,
  serviceStop,
  UNIT_NOT_FOUND_EXIT,
} from '../../../electron/failover/actions/service';
import type { StepEnvironment } from '../../../electron/failover/actions/kit';
import type { RemoteOutcome } from '../../../electron/ports/remote';
import type { Server } from '../../../shared/domain';

describe('service scripts', () => {
  it('systemd: checks the unit is loaded (not-found → exit 5, anything unread → exit 6) before changing it', () => {
    const script = serviceScript('linux', 'stop', 'nginx');
    const lines = script.split('\n');
    expect(lines[0]).toBe(`ls=$(systemctl show -p LoadState --value -- 'nginx' 2>&1 | head -n 1)`);
    expect(lines[1]).toBe(`if [ "$ls" = not-found ]; then echo 'lifeboat: not-found'; exit 5; fi`);
    expect(lines[2]).toBe(`if [ "$ls" != loaded ]; then echo "lifeboat: load state unknown: $ls"; exit 6; fi`);
    expect(lines[3]).toBe("systemctl stop -- 'nginx'");
    expect(script).toContain(
      `s=$(systemctl is-active -- 'nginx' 2>&1 | head -n 1); case "$s" in active) echo active ;; inactive|failed) echo inactive ;; *) echo "unknown: $s" ;; esac`,
    );
  });

  it('OpenBSD: rcctl must exist, rcctl get refuses an unknown service, then rcctl start/stop/restart and rcctl check', () => {
    const start = serviceScript('openbsd', 'start', 'httpd').split('\n');
    expect(start[0]).toBe(
      "if ! command -v rcctl >/dev/null; then echo 'lifeboat: load state unknown: no rcctl'; exit 6; fi",
    );
    expect(start[1]).toBe("if ! rcctl get 'httpd' >/dev/null 2>&1; then echo 'lifeboat: not-found'; exit 5; fi");
    expect(start[2]).toBe("rcctl start 'httpd'");
    expect(start[4]).toBe(
      "if rcctl check 'httpd' >/dev/null 2>&1; then echo active; elif [ $? -eq 1 ]; then echo inactive; else echo 'unknown: rcctl check failed'; fi",
    );
    expect(serviceScript('openbsd', 'stop', 'postgresql').split('\n')[2]).toBe("rcctl stop 'postgresql'");
    expect(serviceScript('openbsd', 'restart', 'smtpd').split('\n')[2]).toBe("rcctl restart 'smtpd'");
    expect(() => serviceScript('openbsd', 'stop', 'httpd; reboot')).toThrow();
  });

  it('a state that was not proven is never a successful stop: systemctl missing, or no state line', () => {
    const unread = interpretService('stop', 'nginx', 'web-a', {
      code: 6,
      stdout: 'lifeboat: load state unknown: System has not been booted with systemd as init system (PID 1).\n',
      stderr: '',
    });
    expect(unread).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/could not be read .*nothing was changed/),
    });
    expect(
      interpretService('stop', 'nginx', 'web-a', { code: 0, stdout: 'unknown: Failed to connect to bus\n', stderr: '' })
        .status,
    ).toBe('indeterminate');
    expect(
      interpretService('stop', 'nginx', 'web-a', { code: 127, stdout: '', stderr: 'sh: systemctl: not found' }).status,
    ).toBe('indeterminate');
  });

  it('a unit that does not exist fails clearly, for stop as for start', () => {
    for (const verb of ['stop', 'start'] as const) {
      const missing = interpretService(verb, 'ngnix', 'web-a', {
        code: UNIT_NOT_FOUND_EXIT,
        stdout: 'lifeboat: not-found\n',
        stderr: '',
      });
      expect(missing.status).toBe('failed');
      expect(missing.message).toMatch(/ngnix does not exist on web-a \(not-found\)/);
    }
    // systemctl's own "not loaded" status without the marker (e.g. the unit vanished in between).
    expect(
      interpretService('stop', 'x', 'web-a', {
        code: 5,
        stdout: 'inactive\n',
        stderr: 'Failed to stop x.service: Unit x.service not loaded.',
      }).status,
    ).toBe('failed');
  });

  it('judges by the re-read state: stopped after stop, active after start, else failed', () => {
    expect(interpretService('stop', 'nginx', 'web-a', { code: 0, stdout: 'inactive\n', stderr: '' }).status).toBe(
      'succeeded',
    );
    expect(interpretService('start', 'nginx', 'web-a', { code: 0, stdout: 'active\n', stderr: '' }).status).toBe(
      'succeeded',
    );
    expect(
      interpretService('start', 'nginx', 'web-a', { code: 1, stdout: 'inactive\n', stderr: 'Job failed' }),
    ).toMatchObject({ status: 'failed', message: expect.stringMatching(/not active after start: Job failed/) });
    expect(interpretService('stop', 'nginx', 'web-a', { code: 0, stdout: 'active\n', stderr: '' }).message).toMatch(
      /still active after stop/,
    );
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
      groupId: f.groups.web.id,
      direction: 'failover',
      sourceServerId: f.servers['web-a'].id,
      targetServerId: f.servers['web-b'].id,
      steps: [
        {
          type: 'action',
          title: 'Stop the CRM',
          serverId: f.servers['web-a'].id,
          action: { kind: 'service.stop', params: { unit: 'crm-app' } },
        },
      ],
    });
    const started = await startConfirmed(f.deps, {
      groupId: f.groups.web.id,
      targetServerId: f.servers['web-b'].id,
      mode: 'real',
      confirmation: 'web',
    });
    expect(started.refused).toMatch(/crm-app does not exist on web-a \(LoadState not-found\)/);
    expect(f.fake.calls.some((c) => c.script.includes('systemctl stop'))).toBe(false);
  });
});

describe('a unit that does not come up shows why', () => {
  type Exec = StepEnvironment['exec'];
  const server = { id: 12, name: 'web-b', os: 'linux' } as Server;
  const answer = (code: number, stdout: string): RemoteOutcome =>
    ({ kind: code === 0 ? 'ok' : 'failed', result: { code, stdout, stderr: '' } }) as RemoteOutcome;
  function envWith(exec: Exec, os: Server['os'] = 'linux'): { env: StepEnvironment; scripts: string[] } {
    const scripts: string[] = [];
    const env = {
      server: { ...server, os },
      exec: (s: Server, purpose: string, script: string, options: Parameters<Exec>[3]) => (
        scripts.push(script),
        exec(s, purpose, script, options)
      ),
    };
    return { env: env as unknown as StepEnvironment, scripts };
  }

  it('a start that leaves the unit inactive reads its last journal lines (read-only) and shows them', async () => {
    const { env, scripts } = envWith(async (_s, _p, script, options) => {
      if (script.startsWith('journalctl')) {
        expect(options.readOnly).toBe(true);
        return answer(0, 'crm.service: Main process exited, code=exited, status=1/FAILURE\n');
      }
      return answer(3, 'inactive\n');
    });
    const result = await serviceStart.execute({ unit: 'crm' }, env);
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(
      /crm on web-b is not active after start\nLast journal lines of crm:\ncrm.service: Main process exited/,
    );
    expect(scripts[1]).toBe("journalctl -u 'crm' -n 10 --no-pager");
  });

  it('a journal that cannot be read is said so, and the step still fails', async () => {
    const { env } = envWith(async (_s, _p, script) =>
      script.startsWith('journalctl')
        ? ({ kind: 'indeterminate', reason: 'timeout', detail: 'no answer in 10 s' } as RemoteOutcome)
        : answer(3, 'inactive\n'),
    );
    const result = await serviceStart.execute({ unit: 'crm' }, env);
    expect(result).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/could not read the journal: outcome unknown/),
    });
  });

  it('no journal read after a stop that failed, a success, or on OpenBSD; the plan lists the read', async () => {
    const stop = envWith(async () => answer(0, 'active\n'));
    expect((await serviceStop.execute({ unit: 'crm' }, stop.env)).status).toBe('failed');
    expect(stop.scripts).toHaveLength(1);
    const started = envWith(async () => answer(0, 'active\n'));
    expect((await serviceStart.execute({ unit: 'crm' }, started.env)).status).toBe('succeeded');
    expect(started.scripts).toHaveLength(1);
    const bsd = envWith(async () => answer(1, 'inactive\n'), 'openbsd');
    expect((await serviceStart.execute({ unit: 'httpd' }, bsd.env)).status).toBe('failed');
    expect(bsd.scripts).toHaveLength(1);
    const plan = serviceStart.commands({ unit: 'crm' }, { server, servers: new Map(), group: {} as never });
    expect(plan.map((c) => c.readOnly)).toEqual([false, true]);
  });
});

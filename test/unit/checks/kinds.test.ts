import { describe, expect, it } from 'vitest';
import { moduleOf } from '../../../electron/checks/kinds';
import { parseLsn } from '../../../electron/checks/postgres';
import { parseDfLine } from '../../../electron/checks/disk';
import { countCpuList } from '../../../electron/checks/load';
import type { Observation } from '../../../electron/checks/kind';
import type { RemoteOutcome } from '../../../electron/ports/remote';
import type { CheckDraft } from '../../../shared/checks';
import type { Server } from '../../../shared/domain';
import { check, contextOf, dbA, dbB, webA, webB } from './fixtures';
import { ok, timedOut, unreachable } from './runners';

function evaluate(draft: CheckDraft, outcomes: [Server, RemoteOutcome][]) {
  const c = check(draft);
  const observations: Observation[] = outcomes.map(([server, outcome]) => ({ server, outcome }));
  return moduleOf(c.kind).evaluate(observations, contextOf(c));
}

const ipAddr = (address: string, prefix = 24) =>
  [
    '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
    '2: eth0    inet 10.77.0.11/24 brd 10.77.0.255 scope global eth0\\       valid_lft forever preferred_lft forever',
    `2: eth0    inet ${address}/${prefix} scope global secondary eth0\\       valid_lft forever preferred_lft forever`,
  ].join('\n');
const noVip =
  '2: eth0    inet 10.77.0.12/24 brd 10.77.0.255 scope global eth0\\       valid_lft forever preferred_lft forever';
const vip = { kind: 'vip', name: 'web VIP', groupId: 10, params: {} } as const;

describe('vip check', () => {
  it('is ok and names the holder when exactly one member holds the VIP', () => {
    const result = evaluate(vip, [
      [webA, ok(ipAddr('10.77.0.10'))],
      [webB, ok(noVip)],
    ]);
    expect(result.status).toBe('ok');
    expect(result.summary).toContain('10.77.0.10 on web-a (eth0)');
    expect(result.metrics.holders).toEqual(['10.77.0.10=web-a']);
  });

  it('fails at once (no retries) when two members hold it: the alarm', () => {
    const result = evaluate(vip, [
      [webA, ok(ipAddr('10.77.0.10'))],
      [webB, ok(ipAddr('10.77.0.10', 32))],
    ]);
    expect(result.status).toBe('fail');
    expect(result.immediate).toBe(true);
    expect(result.summary).toMatch(/ALARM.*two holders/);
    expect(result.summary).toContain('web-a and web-b');
  });

  it('fails when no member holds it', () => {
    const result = evaluate(vip, [
      [webA, ok(noVip)],
      [webB, ok(noVip)],
    ]);
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('held by no member');
    expect(result.immediate).toBeFalsy();
  });

  it('matches by address whatever the prefix: /32 counts as the /24 VIP', () => {
    const result = evaluate(vip, [
      [webA, ok(noVip)],
      [webB, ok(ipAddr('10.77.0.10', 32))],
    ]);
    expect(result.status).toBe('ok');
    expect(result.summary).toContain('on web-b');
  });

  it('does not mistake a longer address that starts the same (10.77.0.100) for the VIP', () => {
    const result = evaluate(vip, [
      [webA, ok(ipAddr('10.77.0.100'))],
      [webB, ok(noVip)],
    ]);
    expect(result.status).toBe('fail');
  });

  it('reads OpenBSD ifconfig output', () => {
    const openbsd =
      'em0: flags=8843<UP,BROADCAST,RUNNING> mtu 1500\n\tinet 10.77.0.11 netmask 0xffffff00 broadcast 10.77.0.255\n\tinet 10.77.0.10 netmask 0xffffffff\n\tinet6 fe80::1%em0 prefixlen 64 scopeid 0x1';
    const result = evaluate(vip, [
      [webA, ok(openbsd)],
      [webB, ok(noVip)],
    ]);
    expect(result.status).toBe('ok');
    expect(result.summary).toContain('on web-a (em0)');
  });

  it('warns when one member holds it but the other cannot be read (a second holder is not ruled out)', () => {
    const result = evaluate(vip, [
      [webA, ok(ipAddr('10.77.0.10'))],
      [webB, unreachable()],
    ]);
    expect(result.status).toBe('warn');
    expect(result.summary).toContain('web-b could not be read');
  });

  it('is unknown, not fail, when no holder is seen and a member could not be read', () => {
    expect(
      evaluate(vip, [
        [webA, timedOut()],
        [webB, ok(noVip)],
      ]).status,
    ).toBe('unknown');
  });

  it('treats output cut short (no end marker) as unknown', () => {
    const cut: RemoteOutcome = {
      kind: 'ok',
      result: { code: 0, stdout: ipAddr('10.77.0.10'), stderr: '', truncated: true, durationMs: 1 },
    };
    const result = evaluate(vip, [
      [webA, cut],
      [webB, cut],
    ]);
    expect(result.status).toBe('unknown');
    expect(result.summary).toContain('incomplete');
  });
});

const pg = { kind: 'postgres', name: 'db roles', groupId: 11, params: {} } as const;
const row = (fields: string) => ok(`rc=0\nrow=${fields}`);

describe('postgres check', () => {
  it('reads roles and the lag in bytes (primary position minus standby replay) and seconds', () => {
    const result = evaluate(pg, [
      [dbA, row('f|0/3000148||||1')],
      [dbB, row('t|0/3000000|0/3000148|12.5|1|0')],
    ]);
    expect(result.status).toBe('ok');
    expect(result.metrics).toMatchObject({ primary: ['db-a'], standbys: ['db-b'], lagBytes: 0x148, lagSeconds: 12.5 });
    expect(result.summary).toContain('db-a is the primary');
    expect(result.summary).toContain('db-b standby, lag 328 B / 12.5 s');
  });

  it('warns above half the RPO and fails above it (RPO 5 min)', () => {
    expect(
      evaluate(pg, [
        [dbA, row('f|0/3000148||||1')],
        [dbB, row('t|0/3000000|0/3000148|200|1|0')],
      ]).status,
    ).toBe('warn');
    const late = evaluate(pg, [
      [dbA, row('f|0/3000148||||1')],
      [dbB, row('t|0/3000000|0/3000148|400|1|0')],
    ]);
    expect(late.status).toBe('fail');
    expect(late.summary).toContain('above the RPO');
  });

  it('fails on byte lag when a byte threshold is set', () => {
    const result = evaluate({ ...pg, params: { failLagBytes: 1000 } }, [
      [dbA, row('f|1/0||||1')],
      [dbB, row('t|0/FFFFF000|0/FFFFF000|0|1|0')],
    ]);
    expect(result.metrics.lagBytes).toBe(4096);
    expect(result.status).toBe('fail');
  });

  it('warns when the standby is not streaming', () => {
    const result = evaluate(pg, [
      [dbA, row('f|0/3000148||||0')],
      [dbB, row('t|0/3000148|0/3000148|0|0|0')],
    ]);
    expect(result.status).toBe('warn');
    expect(result.summary).toContain('NOT streaming');
  });

  it('raises the alarm at once on two primaries', () => {
    const result = evaluate(pg, [
      [dbA, row('f|0/3000148||||0')],
      [dbB, row('f|0/3000148||||0')],
    ]);
    expect(result).toMatchObject({ status: 'fail', immediate: true });
    expect(result.summary).toContain('two primaries');
  });

  it('is unknown when psql fails and no primary is seen', () => {
    const result = evaluate(pg, [
      [dbA, ok('rc=2\nrow=psql: error: connection to server failed')],
      [dbB, row('t|0/3000148|0/3000148|0|1|0')],
    ]);
    expect(result.status).toBe('unknown');
    expect(result.summary).toContain('psql failed on db-a');
  });

  it('parses WAL positions', () => {
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) + 0xb374d848n);
    expect(parseLsn('')).toBeNull();
    expect(parseLsn('1/2/3')).toBeNull();
  });
});

describe('drift check', () => {
  const drift: CheckDraft = { kind: 'drift', name: 'web drift', groupId: 10, params: { paths: ['/etc/nginx'] } };
  const sums = (entries: Record<string, string>) =>
    Object.entries(entries)
      .map(([path, hash]) => `sum=${hash.repeat(64).slice(0, 64)}  ${path}`)
      .join('\n');

  it('lists the files that differ or are missing on a member', () => {
    const a = sums({ '/etc/nginx/nginx.conf': 'a', '/etc/nginx/sites/crm': 'b', '/etc/nginx/mime.types': 'c' });
    const b = sums({ '/etc/nginx/nginx.conf': 'a', '/etc/nginx/sites/crm': 'd' });
    const result = evaluate(drift, [
      [webA, ok(a)],
      [webB, ok(b)],
    ]);
    expect(result.status).toBe('warn');
    expect(result.metrics.differing).toEqual(['/etc/nginx/mime.types', '/etc/nginx/sites/crm']);
    expect(result.summary).toContain('2 of 3 files differ between web-a and web-b');
  });

  it('is ok when every file matches, and fails on a difference when asked to', () => {
    const same = sums({ '/etc/nginx/nginx.conf': 'a' });
    expect(
      evaluate(drift, [
        [webA, ok(same)],
        [webB, ok(same)],
      ]).status,
    ).toBe('ok');
    const other = sums({ '/etc/nginx/nginx.conf': 'e' });
    expect(
      evaluate(
        { kind: 'drift', name: 'web drift', groupId: 10, params: { paths: ['/etc/nginx'], onDifference: 'fail' } },
        [
          [webA, ok(same)],
          [webB, ok(other)],
        ],
      ).status,
    ).toBe('fail');
  });
});

describe('disk, load, memory, service, ssh, freshness, http, tcp', () => {
  const df = (used: number, available: number) => ok(`df=/dev/sda1 ${used + available} ${used} ${available} 50% /`);
  const disk = { kind: 'disk', name: 'disk', serverId: 1, params: { warnPercent: 80, failPercent: 90 } } as const;

  it('judges disk use against the warn and fail thresholds', () => {
    expect(evaluate(disk, [[webA, df(500, 500)]]).status).toBe('ok');
    expect(evaluate(disk, [[webA, df(850, 150)]]).status).toBe('warn');
    const full = evaluate(disk, [[webA, df(950, 50)]]);
    expect(full.status).toBe('fail');
    expect(full.summary).toContain('95 % used');
  });

  it('reads df lines whose filesystem name has spaces, and refuses garbage', () => {
    expect(parseDfLine('map auto_home 100 40 60 40% /home')).toEqual({ totalKb: 100, usedKb: 40, availableKb: 60 });
    expect(parseDfLine('df: /nope: No such file or directory')).toBeNull();
  });

  it('judges load per core on the 5-minute average', () => {
    const load = { kind: 'load', name: 'load', serverId: 1, params: {} } as const;
    expect(evaluate(load, [[webA, ok('load=9.00 2.00 1.00\ncpus=4')]]).status).toBe('ok');
    expect(evaluate(load, [[webA, ok('load=1.00 8.00 1.00\ncpus=4')]]).status).toBe('warn');
    expect(evaluate(load, [[webA, ok('load=1.00 16.00 1.00\ncpus=4')]]).status).toBe('fail');
    expect(evaluate(load, [[webA, ok('load=x y z\ncpus=4')]]).status).toBe('unknown');
    // Linux: the online CPU list, counted here rather than with a process on the host.
    expect(evaluate(load, [[webA, ok('load=1.00 8.00 1.00\nonline=0-3,6-7')]]).metrics).toMatchObject({
      cpus: 6,
      perCore: 1.33,
    });
    expect(evaluate(load, [[webA, ok('load=1.00 1.00 1.00\nonline=0-x')]]).status).toBe('unknown');
    expect(countCpuList('0')).toBe(1);
    expect(countCpuList('3-1')).toBeNaN();
  });

  it('judges memory use', () => {
    const memory = { kind: 'memory', name: 'mem', serverId: 1, params: {} } as const;
    expect(evaluate(memory, [[webA, ok('total_kb=1000\navailable_kb=100')]]).status).toBe('warn');
    expect(evaluate(memory, [[webA, ok('total_kb=1000\navailable_kb=10')]]).status).toBe('fail');
  });

  it('a service runs when systemd says active, or (when the check asks for it) a process of that name exists', () => {
    const svc = { kind: 'service', name: 'nginx', serverId: 1, params: { unit: 'nginx' } } as const;
    expect(evaluate(svc, [[webA, ok('systemd=active')]]).status).toBe('ok');
    expect(evaluate(svc, [[webA, ok('systemd=unknown')]]).status).toBe('unknown');
    expect(evaluate({ ...svc, params: { unit: 'nginx', manager: 'process' } }, [[webA, ok('process=2')]]).status).toBe(
      'ok',
    );
    expect(evaluate(svc, [[webA, ok('systemd=inactive')]]).status).toBe('fail');
    const group = evaluate({ ...svc, serverId: null, groupId: 10 }, [
      [webA, ok('process=1')],
      [webB, ok('process=0')],
    ]);
    expect(group).toMatchObject({ status: 'ok' });
    expect(group.summary).toBe('nginx runs on web-a (not on web-b)');
  });

  it('ssh: reachable is ok with its latency; unreachable or a changed key is fail', () => {
    const ssh = { kind: 'ssh', name: 'ssh', serverId: 1, params: {} } as const;
    expect(evaluate(ssh, [[webA, ok('ssh=ok', 12)]])).toMatchObject({ status: 'ok', metrics: { latencyMs: 12 } });
    expect(evaluate(ssh, [[webA, unreachable()]]).status).toBe('fail');
    const changed: RemoteOutcome = {
      kind: 'host-key',
      status: 'changed',
      detail: '',
      fingerprint: 'SHA256:new',
      pinned: 'SHA256:old',
    };
    const result = evaluate(ssh, [[webA, changed]]);
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('CHANGED');
  });

  it('freshness: the newest file against the RPO (5 min for CRM)', () => {
    const fresh = { kind: 'freshness', name: 'fresh', groupId: 10, serverId: 2, params: { path: '/srv/www' } } as const;
    expect(evaluate(fresh, [[webB, ok('now=10000\nfiles=3\nmtime=9900')]]).status).toBe('ok');
    const stale = evaluate(fresh, [[webB, ok('now=10000\nfiles=3\nmtime=9000')]]);
    expect(stale.status).toBe('fail');
    expect(stale.summary).toContain('16.7 min old (limit 5 min)');
    expect(evaluate(fresh, [[webB, ok('now=10000\nfiles=0')]]).status).toBe('fail');
    expect(evaluate(fresh, [[webB, ok('now=10000\nmissing=1')]]).summary).toContain('does not exist');
  });

  it('http: status and body text', () => {
    const http = {
      kind: 'http',
      name: 'crm',
      serverId: 2,
      params: { url: 'http://10.77.0.10/', bodyContains: 'Northwind' },
    } as const;
    const answer = (code: number, body: string) =>
      ok(`via=curl\n> HTTP/1.1 ${code} OK\r\n> Content-Type: text/html\r\n> \r\n> ${body}\n`);
    expect(evaluate(http, [[webB, answer(200, '<h1>Northwind CRM</h1>')]]).status).toBe('ok');
    expect(evaluate(http, [[webB, answer(200, 'maintenance')]]).summary).toContain('without the expected text');
    expect(evaluate(http, [[webB, answer(503, 'Northwind')]]).summary).toContain('answered 503, expected 200');
    expect(evaluate(http, [[webB, ok('via=curl\n> curl: (7) Failed to connect\n')]]).status).toBe('fail');
  });

  it('tcp: open or not', () => {
    const tcp = { kind: 'tcp', name: 'pg', serverId: 1, params: { host: '10.77.0.20', port: 5432 } } as const;
    expect(evaluate(tcp, [[webA, ok('open=1')]]).status).toBe('ok');
    expect(evaluate(tcp, [[webA, ok('open=0')]]).status).toBe('fail');
  });
});

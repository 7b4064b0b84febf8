/**
 * Fail closed in the lab (docs/safety.md: a read proves itself or it is unknown), judged from
 * outside: a wrong data directory or a pg_ctl that cannot be found, `ip` failing on the old member,
 * a mistyped target interface and a unit missing on the target are each refused at pre-flight,
 * and afterwards nothing was stopped, promoted or moved (psql, ip addr and systemctl on the hosts).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLab, type Lab } from '../../helpers/lab';
import type { ServiceGroup } from '../../../shared/domain';
import type { HostName } from '../../lab/lab';
import { startConfirmed as startRun } from '../../unit/failover/confirmed';
import { listAuditRows } from '../../../electron/db/repositories/audit';
import { openLabFailover, type LabFailover } from './lab-failover';

const WEB = ['web-a', 'web-b'] as const;
const DB = ['db-a', 'db-b'] as const;

/** Holders of an address, read with the host's real ip by its full path (a test may shadow `ip` on PATH). */
async function holders(lab: Lab, address: string, hosts: readonly HostName[]): Promise<HostName[]> {
  const held: HostName[] = [];
  for (const host of hosts) {
    const result = await lab.exec(host, ['/usr/bin/ip', '-o', 'addr', 'show']);
    expect(result.code, result.stderr).toBe(0);
    if (result.stdout.split('\n').some((line) => line.includes(` ${address}/`))) held.push(host);
  }
  return held;
}

async function unitActive(lab: Lab, host: HostName, unit: string): Promise<string> {
  return (await lab.exec(host, ['systemctl', 'is-active', '--', unit])).stdout.trim();
}

describeLab('fail closed: what cannot be proven is refused at pre-flight (lab)', (lab: () => Lab) => {
  let w: LabFailover;
  beforeAll(async () => {
    w = await openLabFailover(lab());
  }, 60_000);
  afterAll(async () => {
    await w?.close();
  });

  /** Save a changed copy of a group, run `body`, and put the group back. */
  async function withGroup(
    name: string,
    change: (group: ServiceGroup) => ServiceGroup,
    body: () => Promise<void>,
  ): Promise<void> {
    const original = w.group(name);
    await w.ws.ok('groups.save', change(structuredClone(original)));
    try {
      await body();
    } finally {
      await w.ws.ok('groups.save', original);
    }
  }
  const start = (group: string, target: string) =>
    startRun(w.deps, {
      groupId: w.group(group).id,
      targetServerId: w.serverId(target),
      mode: 'real',
      confirmation: group,
    });
  /** Only the pre-flight's reads went out (intents of this run). */
  const onlyReads = (runId: number) =>
    listAuditRows(w.ws.db, { runId, limit: 500 })
      .filter((r) => r.kind === 'intent')
      .every((r) => r.detail.startsWith('read: pre-flight'));

  /** PostgreSQL as it was: db-a primary, db-b standby, the db VIP only on db-a. */
  async function databaseUntouched(): Promise<void> {
    expect((await lab().psql('db-a', 'select pg_is_in_recovery();')).stdout.trim()).toBe('f');
    expect((await lab().psql('db-b', 'select pg_is_in_recovery();')).stdout.trim()).toBe('t');
    expect(await holders(lab(), lab().vips.db, DB)).toEqual(['db-a']);
  }

  it('a wrong dataDir: refused at pre-flight naming it; nothing stopped, promoted or moved', async () => {
    await withGroup(
      'db',
      (g) => ({ ...g, data: { ...g.data, dataDir: '/var/lib/postgresql/15/mian' } as ServiceGroup['data'] }),
      async () => {
        const started = await start('db', 'db-b');
        expect(started.refused).toMatch(
          /\/var\/lib\/postgresql\/15\/mian holds no PostgreSQL cluster \(no PG_VERSION\)/,
        );
        expect(onlyReads(started.runId!)).toBe(true);
        await databaseUntouched();
      },
    );
  }, 60_000);

  it('pg_ctl off PATH and not where the runbook says: refused at pre-flight; nothing stopped, promoted or moved', async () => {
    // Debian keeps pg_ctl off PATH: the default runbook finds it. A wrong binDir is the only place looked in.
    expect((await lab().ssh('db-a', 'command -v pg_ctl || echo none')).stdout.trim()).toBe('none');
    const runbook = await w.ws.ok<{
      steps: { type: string; action?: { kind: string; params: Record<string, unknown> } }[];
    }>('runbooks.generate', { groupId: w.group('db').id, targetServerId: w.serverId('db-b') });
    const generated = structuredClone(runbook.steps);
    const save = (steps: unknown[]) =>
      w.ws.ok('runbooks.save', {
        groupId: w.group('db').id,
        direction: 'failover',
        sourceServerId: w.serverId('db-a'),
        targetServerId: w.serverId('db-b'),
        steps,
      });
    for (const step of runbook.steps)
      if (step.action?.kind === 'postgres.promote') step.action.params.binDir = '/usr/lib/postgresql/14/bin';
    await save(runbook.steps);
    try {
      const started = await start('db', 'db-b');
      expect(started.refused).toMatch(
        /PostgreSQL on db-a: db-a: no pg_ctl of version 15 in \/usr\/lib\/postgresql\/14\/bin/,
      );
      expect(onlyReads(started.runId!)).toBe(true);
      await databaseUntouched();
    } finally {
      await save(generated);
    }
  }, 60_000);

  it('ip failing on the old member: blocked, the VIP still only on web-a, its units still running', async () => {
    const vip = lab().vips.web;
    expect(await holders(lab(), vip, WEB)).toEqual(['web-a']);
    // A broken ip first on the SSH session's PATH of web-a.
    const wrapper = await lab().exec('web-a', [
      'sh',
      '-c',
      'printf "#!/bin/sh\\necho \\"ip: broken\\" >&2\\nexit 1\\n" > /usr/local/sbin/ip && chmod 755 /usr/local/sbin/ip',
    ]);
    expect(wrapper.code, wrapper.stderr).toBe(0);
    try {
      expect((await lab().ssh('web-a', 'ip -o addr show; echo "exit $?"')).stdout).toMatch(/exit 1/);
      const started = await start('web', 'web-b');
      expect(started.refused).toMatch(
        /cannot tell who holds 10\.77\.0\.\d+: web-a: the address list could not be read \(exit status 1: ip: broken\)/,
      );
      expect(started.refused).not.toMatch(/held by no reachable member/);
      expect(onlyReads(started.runId!)).toBe(true);
      expect(await holders(lab(), vip, WEB)).toEqual(['web-a']);
      expect(await unitActive(lab(), 'web-a', 'nginx')).toBe('active');
    } finally {
      await lab().exec('web-a', ['rm', '-f', '/usr/local/sbin/ip']);
    }
  }, 60_000);

  it('a mistyped target interface (eth9): refused before the release, the VIP still on web-a', async () => {
    const vip = lab().vips.web;
    await withGroup(
      'web',
      (g) => ({
        ...g,
        vips: g.vips.map((v) => ({
          ...v,
          interfaces: v.interfaces.map((i) => (i.serverId === w.serverId('web-b') ? { ...i, interface: 'eth9' } : i)),
        })),
      }),
      async () => {
        const started = await start('web', 'web-b');
        expect(started.refused).toMatch(
          /web-b has no interface eth9 \(it has [^)]*eth0[^)]*\): correct the VIP's interface for web-b before anything is released/,
        );
        expect(onlyReads(started.runId!)).toBe(true);
        expect(await holders(lab(), vip, WEB)).toEqual(['web-a']);
        expect(await unitActive(lab(), 'web-a', 'nginx')).toBe('active');
      },
    );
  }, 60_000);

  it('a unit of the group missing on the target: refused at pre-flight, nothing stopped', async () => {
    const vip = lab().vips.web;
    expect(await unitActive(lab(), 'web-b', 'crm-reports')).not.toBe('active');
    await withGroup(
      'web',
      (g) => ({ ...g, processes: [...g.processes, 'crm-reports'] }),
      async () => {
        const started = await start('web', 'web-b');
        expect(started.refused).toMatch(/crm-reports does not exist on web-b \(LoadState not-found\)/);
        expect(onlyReads(started.runId!)).toBe(true);
        expect(await holders(lab(), vip, WEB)).toEqual(['web-a']);
        expect(await unitActive(lab(), 'web-a', 'nginx')).toBe('active');
      },
    );
  }, 60_000);
});

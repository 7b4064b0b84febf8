/**
 * The test recovery in the lab, judged from outside (the lab's own exec, no SSH): on a healthy lab
 * it passes and changes nothing (addresses, units, PostgreSQL roles and file hashes identical before
 * and after); then each precondition is broken in turn, and each time the test recovery names
 * exactly that one, the other groups still pass, and nothing is changed. The lab is put back after
 * each break.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestRecoveryReport } from '../../../shared/contract/test-recovery';
import { listAuditRows } from '../../../electron/db/repositories/audit';
import { describeLab, type Lab } from '../../helpers/lab';
import type { HostName } from '../../lab/lab';
import { openLabFailover, type LabFailover } from './lab-failover';
import { saveLabFilesRunbook } from './recovery-lab';

const HOSTS: HostName[] = ['gw-a', 'gw-b', 'web-a', 'web-b', 'db-a', 'db-b', 'files-a', 'files-b', 'pbx'];

/** Everything a test recovery must not change, read from outside. */
async function labState(lab: Lab): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  for (const host of HOSTS) {
    const units = lab.hosts[host].units;
    const script = [
      // Addresses and links, without the counters and lifetimes that move by themselves.
      "ip -o addr show | awk '{ print $2, $3, $4 }'",
      "ip -o link show | sed 's/ qlen.*//'",
      ...units.map((u) => `echo ${u} $(systemctl is-active ${u}) $(systemctl is-enabled ${u} 2>&1)`),
      'find /srv/files /etc/systemd/system /etc/postgresql -type f -exec sha256sum {} + 2>/dev/null | sort',
    ].join('\n');
    state[host] = (await lab.exec(host, ['sh', '-c', script])).stdout;
  }
  for (const host of ['db-a', 'db-b'] as const)
    state[`${host} role`] = (await lab.psql(host, 'select pg_is_in_recovery();')).stdout.trim();
  return state;
}

/** Wait (bounded) until db-b streams from db-a and has replayed all it received. */
async function replicationCaughtUp(lab: Lab): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last = '';
  while (Date.now() < deadline) {
    last = (
      await lab.psql(
        'db-b',
        'select (select status from pg_stat_wal_receiver), pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn();',
      )
    ).stdout.trim();
    if (last === 'streaming|t') return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`db-b did not catch up with db-a within 30 s: ${last}`);
}

async function sh(lab: Lab, host: HostName, script: string): Promise<void> {
  const result = await lab.exec(host, ['sh', '-c', script], { timeoutMs: 60_000 });
  if (result.code !== 0) throw new Error(`${host}: ${script}: ${result.stderr || result.stdout}`);
}

describeLab('test recovery in the lab', (lab: () => Lab) => {
  let w: LabFailover;
  const test = async (): Promise<TestRecoveryReport> => w.ws.ok<TestRecoveryReport>('recovery.test', {});
  const group = (report: TestRecoveryReport, name: string) => report.groups.find((g) => g.groupName === name)!;

  beforeAll(async () => {
    w = await openLabFailover(lab());
    // The files runbooks as an admin sets them up: rsync reaches the receiver with the lab's key and known hosts.
    for (const target of ['files-a', 'files-b'] as const) await saveLabFilesRunbook(w, lab(), target);
    await replicationCaughtUp(lab());
  }, 90_000);
  afterAll(async () => {
    await w?.close();
  });

  it('passes on the healthy lab and changes nothing: addresses, units, PostgreSQL roles and files', async () => {
    const before = await labState(lab());
    const report = await test();
    expect(report.groups.map((g) => [g.groupName, g.reason])).toEqual(
      ['db', 'files', 'gw', 'pbx', 'web'].map((name) => [name, null]),
    );
    expect(await labState(lab())).toEqual(before);
    expect(before['db-a role']).toBe('f');
    expect(before['db-b role']).toBe('t');
    // Every command it sent was a read, and the dry run showed what would move.
    const intents = listAuditRows(w.ws.db, { limit: 2000 }).filter((r) => r.kind === 'intent');
    expect(intents.length).toBeGreaterThan(10);
    expect(intents.filter((r) => !r.detail.startsWith('read: '))).toEqual([]);
    const files = group(report, 'files').directions.find((d) => d.live)!;
    expect(files.checks.find((c) => c.precondition === 'rsync')?.detail).toMatch(/would move|in step/);
    expect(files.checks.find((c) => c.precondition === 'disk')?.status).toBe('ok');
  }, 60_000);

  const breaks: {
    what: string;
    group: string;
    precondition: string;
    detail: RegExp;
    breakIt: () => Promise<void>;
    restore: () => Promise<void>;
  }[] = [
    {
      what: "the standby's sshd stopped",
      group: 'web',
      precondition: 'login',
      detail: /web-b/,
      breakIt: () => sh(lab(), 'web-b', 'systemctl stop ssh.socket ssh.service 2>/dev/null; systemctl stop ssh'),
      restore: () => sh(lab(), 'web-b', 'systemctl start ssh'),
    },
    {
      what: 'the unit disabled on the standby',
      group: 'web',
      precondition: 'unit',
      detail: /crm is disabled on web-b/,
      breakIt: () => sh(lab(), 'web-b', 'systemctl disable --quiet crm'),
      restore: () => sh(lab(), 'web-b', 'systemctl enable --quiet crm'),
    },
    {
      what: 'the unit removed from the standby',
      group: 'gw',
      precondition: 'unit',
      detail: /gateway does not exist on gw-b/,
      breakIt: () =>
        sh(
          lab(),
          'gw-b',
          'mv /etc/systemd/system/gateway.service /root/gateway.service.away && systemctl daemon-reload',
        ),
      restore: () =>
        sh(
          lab(),
          'gw-b',
          'mv /root/gateway.service.away /etc/systemd/system/gateway.service && systemctl daemon-reload',
        ),
    },
    {
      what: 'pg_ctl moved away on the standby',
      group: 'db',
      precondition: 'postgres',
      detail: /db-b: no pg_ctl of version 15/,
      breakIt: () => sh(lab(), 'db-b', `mv ${lab().postgres.bin}/pg_ctl ${lab().postgres.bin}/pg_ctl.away`),
      restore: () => sh(lab(), 'db-b', `mv ${lab().postgres.bin}/pg_ctl.away ${lab().postgres.bin}/pg_ctl`),
    },
    {
      what: 'replication stopped',
      group: 'db',
      precondition: 'replication',
      detail: /db-b is not streaming from db-a/,
      breakIt: async () => {
        const off = await lab().psql('db-b', "alter system set primary_conninfo = ''; select pg_reload_conf();");
        if (off.code !== 0) throw new Error(off.stderr);
        const deadline = Date.now() + 20_000;
        while (Date.now() < deadline) {
          const status = await lab().psql(
            'db-b',
            "select count(*) from pg_stat_wal_receiver where status = 'streaming';",
          );
          if (status.stdout.trim() === '0') return;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        throw new Error('the WAL receiver of db-b did not stop');
      },
      restore: async () => {
        const on = await lab().psql('db-b', 'alter system reset primary_conninfo; select pg_reload_conf();');
        if (on.code !== 0) throw new Error(on.stderr);
        await replicationCaughtUp(lab());
      },
    },
    {
      what: "the receiver's disk full",
      group: 'files',
      precondition: 'disk',
      detail: /MiB free for \/srv\/files on files-b/,
      // A small filesystem over the receiving directory, filled to the last block.
      breakIt: () =>
        sh(
          lab(),
          'files-b',
          'mount -t tmpfs -o size=1m lifeboat-full /srv/files && (dd if=/dev/zero of=/srv/files/filler bs=64k 2>/dev/null; true)',
        ),
      restore: () => sh(lab(), 'files-b', 'umount /srv/files'),
    },
    {
      what: "the VIP's interface down on the standby",
      group: 'web',
      precondition: 'interface',
      detail: /vip0 on web-b is down/,
      // The standby's VIP interface is a second link on the segment (SSH stays on eth0): up, it
      // passes; down, only it is named.
      breakIt: async () => {
        // arp_ignore=1: vip0 answers ARP only for its own addresses (none), so web-b's own address
        // stays on eth0's MAC. Set from outside: /proc/sys is read-only inside the container.
        await sh(lab(), 'web-b', 'ip link add vip0 link eth0 type macvlan mode bridge');
        execFileSync('ip', [
          'netns',
          'exec',
          lab().hosts['web-b'].namespace,
          'sysctl',
          '-q',
          '-w',
          'net.ipv4.conf.vip0.arp_ignore=1',
        ]);
        // Its own address: the listening's ARP requests from vip0 then carry it, not web-b's (whose
        // neighbours would otherwise learn web-b at vip0's MAC and lose it when vip0 goes down).
        await sh(lab(), 'web-b', 'ip addr add 10.77.0.212/24 dev vip0 && ip link set vip0 up');
        const web = w.group('web');
        await w.ws.ok('groups.save', {
          ...web,
          vips: web.vips.map((v) => ({
            ...v,
            interfaces: v.interfaces.map((i) => (i.serverId === w.serverId('web-b') ? { ...i, interface: 'vip0' } : i)),
          })),
        });
        const up = group(await test(), 'web');
        expect(up.reason).toBeNull();
        await sh(lab(), 'web-b', 'ip link set vip0 down');
      },
      restore: async () => {
        await w.ws.ok('groups.save', w.group('web'));
        await sh(lab(), 'web-b', 'ip link del vip0');
      },
    },
  ];

  for (const b of breaks) {
    it(`names exactly "${b.precondition}" when ${b.what}, and changes nothing`, async () => {
      await b.breakIt();
      try {
        const before = await labState(lab());
        const report = await test();
        const broken = group(report, b.group);
        expect(broken.failed, broken.reason ?? '').toEqual([b.precondition]);
        expect(broken.reason).toMatch(new RegExp(`^${b.precondition}: `));
        expect(broken.reason).toMatch(b.detail);
        for (const other of report.groups.filter((g) => g.groupName !== b.group))
          expect([other.groupName, other.reason]).toEqual([other.groupName, null]);
        expect(await labState(lab())).toEqual(before);
      } finally {
        await b.restore();
      }
      // Put back, it passes again.
      const again = group(await test(), b.group);
      expect(again.reason).toBeNull();
    }, 90_000);
  }
});

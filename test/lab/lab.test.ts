/**
 * The lab itself: real hosts in network namespaces (docs/lab.md). Brought up once for the
 * whole file (fresh, so bring-up and the clean-up of leftovers are exercised), stopped by the last
 * test, which checks that nothing is left behind.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_HOSTS } from '../../shared/example-company';
import { describeLab } from '../helpers/lab';
import {
  BRIDGE,
  GROUPS,
  HOST_NAMES,
  HOST_UNITS,
  HOSTS,
  labCgroupDirs,
  labHealth,
  labMounts,
  labProcesses,
  NETNS_PREFIX,
  openLab,
  stopLab,
  VETH_PREFIX,
  type HostName,
  type Lab,
} from './lab';
import { main as labCli } from './cli';
import { cmdline, isLive, listPids, run, sleep } from './proc';

/** The system ssh with the options the brief pins: strict host-key checking against the lab's known_hosts. */
function ssh(lab: Lab, host: HostName, command: string, knownHosts = lab.knownHostsPath) {
  const h = lab.hosts[host];
  return run(
    '/usr/bin/ssh',
    [
      '-F',
      '/dev/null',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      `UserKnownHostsFile=${knownHosts}`,
      '-o',
      'GlobalKnownHostsFile=/dev/null',
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=5',
      '-o',
      'IdentitiesOnly=yes',
      '-i',
      h.keyPath,
      '-p',
      String(h.port),
      `${h.user}@${h.ip}`,
      '--',
      command,
    ],
    { timeoutMs: 20_000 },
  );
}

/** Which of `members` have `address` on eth0 (by address, whatever the prefix length). */
async function holders(lab: Lab, address: string, members: readonly HostName[]): Promise<HostName[]> {
  const out: HostName[] = [];
  for (const m of members) {
    const r = await lab.exec(m, ['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0']);
    expect(r.code, r.stderr).toBe(0);
    if (r.stdout.split('\n').some((line) => line.split(/\s+/).includes('inet') && line.includes(` ${address}/`)))
      out.push(m);
  }
  return out;
}

describe('lab topology', () => {
  it('matches the example company (shared/example-company.ts)', () => {
    for (const g of GROUPS) {
      const spec = EXAMPLE_HOSTS[g.name];
      expect(g.vip).toBe(spec.vip);
      expect(HOSTS.find((h) => h.name === g.primary)?.n).toBe(spec.a);
      expect(HOSTS.find((h) => h.name === g.standby)?.n).toBe(spec.b);
      expect(g.primary).toBe(`${g.name}-a`);
      expect(g.standby).toBe(`${g.name}-b`);
    }
    expect(HOSTS.find((h) => h.name === 'pbx')?.n).toBe(EXAMPLE_HOSTS.pbx);
    expect(new Set(HOSTS.map((h) => h.n)).size).toBe(HOSTS.length);
  });
});

describeLab(
  'the lab of real hosts',
  (getLab) => {
    it('came up within a minute and reports itself healthy', async () => {
      const lab = getLab();
      console.info(`[lab] bring-up took ${(lab.startupMs / 1000).toFixed(1)} s`);
      expect(lab.startupMs).toBeLessThan(60_000);
      expect(await lab.health()).toEqual({ ok: true, problems: [] });
      const json = JSON.parse(fs.readFileSync(lab.labJsonPath, 'utf8'));
      expect(json.hosts['db-a']).toMatchObject({
        name: 'db-a',
        ip: '10.77.0.21',
        sshPort: 22,
        user: 'root',
        keyPath: lab.keyPath,
      });
      expect(json.vips).toEqual({ gw: '10.77.0.1', web: '10.77.0.10', db: '10.77.0.20', files: '10.77.0.30' });
    });

    it('every host answers SSH with its pinned host key', async () => {
      const lab = getLab();
      const results = await Promise.all(HOST_NAMES.map((h) => ssh(lab, h, 'hostname; id -u')));
      HOST_NAMES.forEach((h, i) => {
        expect(results[i].stderr).toBe('');
        expect(results[i].code).toBe(0);
        expect(results[i].stdout).toBe(`${h}\n0\n`);
      });
      // The fingerprints in lab.json are those of the keys the hosts present (the ones in known_hosts).
      const listed = await run('/usr/bin/ssh-keygen', ['-l', '-E', 'sha256', '-f', lab.knownHostsPath]);
      expect(listed.code).toBe(0);
      for (const h of HOST_NAMES) {
        expect(listed.stdout).toContain(`${lab.hosts[h].hostKeyFingerprint} ${lab.hosts[h].ip} (ED25519)`);
      }
    }, 30_000);

    it('refuses a host whose key is not the pinned one', async () => {
      const lab = getLab();
      const wrong = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lab-kh-')), 'known_hosts');
      // web-b's key pinned for web-a's address.
      fs.writeFileSync(wrong, `${lab.hosts['web-a'].ip} ${lab.hosts['web-b'].hostKey}\n`);
      try {
        const r = await ssh(lab, 'web-a', 'echo should-not-run', wrong);
        expect(r.code).toBe(255);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(/Host key verification failed|HOST IDENTIFICATION HAS CHANGED/);
      } finally {
        fs.rmSync(path.dirname(wrong), { recursive: true, force: true });
      }
    });

    it("each host sees its own /srv and not another's", async () => {
      const lab = getLab();
      const token = `probe-${crypto.randomBytes(6).toString('hex')}`;
      // lab.ssh: the script goes on stdin to a constant remote command, as Lifeboat sends its scripts.
      const w = await lab.ssh('web-a', `echo web-a > /srv/${token}\ncat /srv/lab-host\n`);
      expect(w).toMatchObject({ code: 0, stdout: 'web-a\n' });
      const seen = await Promise.all(
        HOST_NAMES.map((h) =>
          ssh(lab, h, `cat /srv/lab-host; test -e /srv/${token} && echo has-token || echo no-token`),
        ),
      );
      HOST_NAMES.forEach((h, i) => {
        expect(seen[i].code).toBe(0);
        expect(seen[i].stdout).toBe(`${h}\n${h === 'web-a' ? 'has-token' : 'no-token'}\n`);
      });
      expect(fs.existsSync(`/srv/${token}`)).toBe(false); // nor the root namespace
      const filesA = await lab.exec('files-a', 'cd /srv/files && find . -type f | sort');
      expect(filesA.stdout).toBe('./README.txt\n./reports/2024-q1.csv\n./scripts/greeting.txt\n');
      const filesB = await lab.exec('files-b', 'find /srv/files -type f | wc -l');
      expect(filesB.stdout.trim()).toBe('0');
    }, 30_000);

    it('each VIP starts on its primary only, and the web VIP answers from web-a for the client', async () => {
      const lab = getLab();
      for (const g of GROUPS) expect(await holders(lab, lab.vips[g.name], [g.primary, g.standby])).toEqual([g.primary]);
      const answer = await lab.probe(`http://${lab.vips.web}/`);
      expect(answer).toMatchObject({ ok: true, status: 200, host: 'web-a', error: null });
      expect((await lab.probe(`http://${lab.hosts['web-b'].ip}/`)).host).toBe('web-b');
      await expect(lab.probe('http://192.0.2.10/')).rejects.toThrow(/only http:\/\/ URLs on lab addresses/);
    }, 30_000);

    it('moving the web VIP by hand (del on web-a, add + gratuitous ARP on web-b) makes the client see web-b', async () => {
      const lab = getLab();
      const vip = lab.vips.web;
      expect((await lab.probe(`http://${vip}/`)).host).toBe('web-a'); // the client has web-a's MAC cached
      expect((await lab.exec('web-a', ['ip', 'addr', 'del', `${vip}/24`, 'dev', 'eth0'])).code).toBe(0);
      expect((await lab.exec('web-b', ['ip', 'addr', 'add', `${vip}/24`, 'dev', 'eth0'])).code).toBe(0);
      const arp = await lab.exec('web-b', ['arping', '-U', '-c', '1', '-w', '2', '-I', 'eth0', vip], {
        timeoutMs: 10_000,
      });
      expect(arp.code, arp.stderr).toBe(0);
      expect(await holders(lab, vip, ['web-a', 'web-b'])).toEqual(['web-b']);
      let seen = '';
      for (let i = 0; i < 20 && seen !== 'web-b'; i++) {
        const r = await lab.probe(`http://${vip}/`, { timeoutMs: 1_000 });
        seen = r.host;
        if (seen !== 'web-b') await sleep(250);
      }
      expect(seen).toBe('web-b');
      expect((await lab.health()).problems).toContain(`web VIP ${vip} is not on web-a`);
    }, 40_000);

    it('a row written on db-a is readable on db-b within a bounded wait', async () => {
      const lab = getLab();
      const token = crypto.randomBytes(8).toString('hex');
      const w = await lab.psql(
        'db-a',
        `CREATE TABLE IF NOT EXISTS lab_check (token text PRIMARY KEY); INSERT INTO lab_check VALUES ('${token}');`,
        { database: 'crm' },
      );
      expect(w.code, w.stderr).toBe(0);
      let found = '';
      for (let i = 0; i < 50 && found !== token; i++) {
        const r = await lab.psql('db-b', `SELECT token FROM lab_check WHERE token = '${token}'`, { database: 'crm' });
        found = r.code === 0 ? r.stdout.trim() : '';
        if (found !== token) await sleep(200);
      }
      expect(found).toBe(token);
      // db-b is a read-only hot standby, and pg_ctl run over SSH on db-b finds its server.
      const ro = await lab.psql('db-b', `INSERT INTO lab_check VALUES ('x')`, { database: 'crm' });
      expect(ro.code).not.toBe(0);
      expect(ro.stderr).toMatch(/read-only transaction/);
      const status = await ssh(
        lab,
        'db-b',
        `runuser -u postgres -- ${lab.postgres.bin}/pg_ctl -D ${lab.postgres.dataDir} status`,
      );
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout).toMatch(/server is running/);
    }, 30_000);

    it('every host runs systemd as PID 1 with its own units active, and nothing failed', async () => {
      const lab = getLab();
      const results = await Promise.all(
        HOST_NAMES.map((h) =>
          lab.exec(
            h,
            'cat /proc/1/comm; systemctl is-system-running; systemctl list-units --state=failed --no-legend --plain | wc -l',
          ),
        ),
      );
      HOST_NAMES.forEach((h, i) => expect(`${h}: ${results[i].stdout}`).toBe(`${h}: systemd\nrunning\n0\n`));
      for (const h of HOST_NAMES) {
        expect(lab.hosts[h].units).toEqual(HOST_UNITS[h]);
        if (!HOST_UNITS[h].length) continue;
        const r = await lab.exec(h, ['systemctl', 'is-active', '--', ...HOST_UNITS[h], 'ssh']);
        expect(`${h}: ${r.stdout}`).toBe(`${h}: ${[...HOST_UNITS[h], 'ssh'].map(() => 'active\n').join('')}`);
      }
      // A unit a host does not run is not active there (web-b runs no PostgreSQL), as systemctl says.
      const none = await lab.exec('web-b', ['systemctl', 'is-active', '--', 'postgresql@15-main']);
      expect(none.stdout.trim()).toBe('inactive');
      expect(none.code).not.toBe(0);
    }, 30_000);

    it("PostgreSQL is Debian's: the cluster 15/main under its own unit, pg_ctl only in the version's bin directory", async () => {
      const lab = getLab();
      expect(lab.postgres).toMatchObject({
        unit: 'postgresql@15-main',
        bin: '/usr/lib/postgresql/15/bin',
        dataDir: '/var/lib/postgresql/15/main',
        configDir: '/etc/postgresql/15/main',
      });
      const r = await lab.exec(
        'db-a',
        'command -v pg_ctl || echo not-on-path; pg_lsclusters -h; test -x /usr/lib/postgresql/15/bin/pg_ctl && echo has-pg_ctl',
      );
      expect(r.stdout.split('\n')[0]).toBe('not-on-path');
      expect(r.stdout).toMatch(/^15 +main +5432 +online +postgres +\/var\/lib\/postgresql\/15\/main /m);
      expect(r.stdout).toContain('has-pg_ctl');
      const b = await lab.exec('db-b', 'pg_lsclusters -h');
      expect(b.stdout).toMatch(/^15 +main +5432 +online,recovery /m);
    }, 30_000);

    it('a host can lose its sshd and get it back, and exec() still enters it meanwhile', async () => {
      const lab = getLab();
      const inner = Number(lab.readFile('pbx', lab.hosts.pbx.sshdPidFile)?.trim());
      const pid = lab.outerPid('pbx', inner);
      expect(pid).not.toBeNull();
      process.kill(pid!, 'SIGTERM');
      for (let i = 0; i < 50 && isLive(pid!); i++) await sleep(100);
      expect(isLive(pid!)).toBe(false);
      expect((await ssh(lab, 'pbx', 'true')).code).toBe(255);
      expect((await lab.exec('pbx', 'hostname')).stdout).toBe('pbx\n');
      expect((await lab.exec('pbx', ['systemctl', 'is-active', 'ssh'])).stdout.trim()).not.toBe('active');
      const restart = await lab.exec('pbx', ['systemctl', 'start', 'ssh']);
      expect(restart.code, restart.stderr).toBe(0);
      let back = await ssh(lab, 'pbx', 'hostname');
      for (let i = 0; i < 20 && back.code !== 0; i++) {
        await sleep(100);
        back = await ssh(lab, 'pbx', 'hostname');
      }
      expect(back).toMatchObject({ code: 0, stdout: 'pbx\n' });
    }, 30_000);

    it('stopLab leaves no container, mount, cgroup, lb- namespace, bridge, veth, process or directory', async () => {
      const lab = getLab();
      const { dir } = lab;
      await stopLab(dir); // uses no in-memory state, as after a crash
      const netns = await run('/usr/sbin/ip', ['netns', 'list']);
      expect(netns.stdout.split('\n').filter((l) => l.startsWith(NETNS_PREFIX))).toEqual([]);
      const links = await run('/usr/sbin/ip', ['-o', 'link', 'show']);
      expect(links.stdout).not.toContain(`${BRIDGE}:`);
      expect(links.stdout).not.toContain(` ${VETH_PREFIX}`);
      const routes = await run('/usr/sbin/ip', ['-4', 'route', 'show']);
      expect(routes.stdout).not.toContain('10.77.0.');
      expect(labProcesses()).toEqual([]);
      expect(labMounts(dir)).toEqual([]);
      expect(labCgroupDirs()).toEqual([]);
      const containers = listPids().filter((pid) => isLive(pid) && /systemd-nspawn|lab-supervisor/.test(cmdline(pid)));
      expect(containers.map((pid) => `${pid} ${cmdline(pid)}`)).toEqual([]);
      const leftovers = listPids().filter(
        (pid) => pid !== process.pid && isLive(pid) && cmdline(pid).includes(`${dir}/`),
      );
      expect(leftovers.map((pid) => `${pid} ${cmdline(pid)}`)).toEqual([]);
      expect(fs.existsSync(dir)).toBe(false);
      // Idempotent, and everything agrees the lab is gone.
      await stopLab(dir);
      expect(openLab(dir)).toBeNull();
      expect((await labHealth(dir)).ok).toBe(false);
      const write = process.stdout.write;
      process.stdout.write = (() => true) as typeof process.stdout.write;
      try {
        expect(await labCli(['status', '--dir', dir])).toBe(1);
      } finally {
        process.stdout.write = write;
      }
    }, 30_000);
  },
  { fresh: true },
);

/**
 * The scheduled sync's files, and its script run for real in a local shell with fake ip, ssh and
 * rsync: it copies only while this host holds the VIP on a real interface and its own address
 * proved the read, only to a peer that does not hold it, and stamps every run of the holder.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Server, ServiceGroup } from '../../../shared/domain';
import { SyncTimerOptions, cronLine, syncScript, syncTimerFiles, syncTimerProblem } from '../../../shared/sync-timer';
import { tempDir } from '../../helpers/workspace';

const a = Server.parse({ id: 1, name: 'files-a', addresses: ['10.0.0.31'], ssh: { host: '10.0.0.31' } });
const b = Server.parse({ id: 2, name: 'files-b', addresses: ['10.0.0.32'], ssh: { host: '10.0.0.32', port: 2222 } });
const group = ServiceGroup.parse({
  id: 5,
  name: 'files',
  members: [
    { serverId: 1, role: 'primary' },
    { serverId: 2, role: 'standby' },
  ],
  vips: [
    {
      address: '10.0.0.30',
      interfaces: [
        { serverId: 1, interface: 'eth0' },
        { serverId: 2, interface: 'eth0' },
      ],
    },
  ],
  data: { kind: 'rsync', paths: ['/srv/files'], excludes: ['*.tmp'], intervalMinutes: 5 },
});
const options = SyncTimerOptions.parse({ identityFile: '/root/.ssh/id_lab', knownHostsFile: '/root/.ssh/kh' });

describe('scheduled sync files', () => {
  it('writes a script, a service and a timer on each systemd member, each syncing to the other', () => {
    const files = syncTimerFiles(group, [a, b], options);
    expect(files.map((m) => m.server)).toEqual(['files-a', 'files-b']);
    expect(files[0].files.map((f) => f.path)).toEqual([
      '/usr/local/sbin/lifeboat-sync-files',
      '/etc/systemd/system/lifeboat-sync-files.service',
      '/etc/systemd/system/lifeboat-sync-files.timer',
    ]);
    expect(files[0].files[2].content).toContain('OnUnitActiveSec=300s');
    const scriptA = files[0].files[0].content;
    expect(scriptA).toContain("'root@10.0.0.32':'/srv/files/'");
    expect(scriptA).toContain('-p 2222');
    expect(scriptA).toContain('--max-delete=100');
    expect(scriptA).not.toContain('10.0.0.30:');
    expect(files[1].files[0].content).toContain("'root@10.0.0.31':'/srv/files/'");
  });

  it('writes a root crontab line on OpenBSD, in whole minutes', () => {
    const bsd = { ...b, os: 'openbsd' as const };
    const files = syncTimerFiles(group, [a, bsd], SyncTimerOptions.parse({ intervalSeconds: 90 }));
    expect(files[1].scheduler).toBe('cron');
    expect(files[1].files[1].content).toBe(
      '*/2 * * * * /usr/local/sbin/lifeboat-sync-files >/dev/null 2>&1 # lifeboat-sync-files\n',
    );
    expect(files[1].files[0].content).toContain('ifconfig -A');
    expect(cronLine(group, 10)).toMatch(/^\*\/1 /);
  });

  it('refuses groups it cannot serve, saying why', () => {
    expect(syncTimerProblem({ ...group, data: { kind: 'none' } }, [a, b])).toMatch(/does not keep its data with rsync/);
    expect(syncTimerProblem({ ...group, vips: [] }, [a, b])).toMatch(/no VIP/);
    expect(
      syncTimerProblem(group, [a, { ...b, addresses: ['10.0.0.30'], ssh: { ...b.ssh, host: 'files-b' } }]),
    ).toMatch(/files-b has no address of its own/);
    expect(() => SyncTimerOptions.parse({ identityFile: '/root/key with space' })).toThrow();
    expect(() => SyncTimerOptions.parse({ maxDelete: -1 })).toThrow();
    expect(() => SyncTimerOptions.parse({ intervalSeconds: 5 })).toThrow();
  });
});

describe('the sync script in a local shell', () => {
  let dir = '';
  let tools = '';
  let root = '';
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(tools, name), text, { mode: 0o755 });
  };
  beforeAll(() => {
    dir = tempDir('lifeboat-sync-');
    tools = path.join(dir, 'bin');
    fs.mkdirSync(tools);
    // ip prints $FAKE_IP (a file), or fails when it is absent.
    write('ip', '#!/bin/sh\n[ -f "$FAKE_IP" ] || exit 1\ncat "$FAKE_IP"\n');
    // ssh runs its last argument locally, with the peer's addresses for ip.
    write(
      'ssh',
      '#!/bin/sh\nfor last; do :; done\necho "$*" >> "$FAKE_LOG.ssh"\n[ -n "$FAKE_SSH_DOWN" ] && exit 255\nFAKE_IP="$FAKE_PEER_IP" exec sh -c "$last"\n',
    );
    write(
      'rsync',
      '#!/bin/sh\necho "$*" >> "$FAKE_LOG.rsync"\necho "Total transferred file size: 1,234 bytes"\nexit "${FAKE_RSYNC_EXIT:-0}"\n',
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(dir, 'state-'));
  });

  const addr = (itf: string, ip: string, n = 2) => `${n}: ${itf}    inet ${ip}/24 brd 10.0.0.255 scope global ${itf}`;
  function run(self: string[], peer: string[], env: Record<string, string> = {}) {
    fs.writeFileSync(path.join(root, 'self-ip'), self.join('\n') + '\n');
    fs.writeFileSync(path.join(root, 'peer-ip'), peer.join('\n') + '\n');
    const script = syncScript(group, a, b, options, root);
    const result = spawnSync('/bin/sh', ['-s'], {
      input: script,
      encoding: 'utf8',
      env: {
        PATH: `${tools}:/usr/bin:/bin`,
        FAKE_IP: path.join(root, 'self-ip'),
        FAKE_PEER_IP: path.join(root, 'peer-ip'),
        FAKE_LOG: path.join(root, 'log'),
        ...env,
      },
      timeout: 10_000,
    });
    const read = (name: string) => {
      try {
        return fs.readFileSync(path.join(root, 'files', name), 'utf8');
      } catch {
        return null;
      }
    };
    const rsync = fs.existsSync(path.join(root, 'log.rsync'))
      ? fs.readFileSync(path.join(root, 'log.rsync'), 'utf8')
      : '';
    return { code: result.status, last: read('last'), good: read('good'), idle: read('idle'), rsync };
  }
  const holder = [addr('lo', '127.0.0.1', 1), addr('eth0', '10.0.0.31'), addr('eth0', '10.0.0.30')];
  const standby = [addr('lo', '127.0.0.1', 1), addr('eth0', '10.0.0.32')];

  it('copies from the holder to the peer at its own address and port, and stamps both sides', () => {
    const r = run(holder, standby);
    expect(r.code).toBe(0);
    expect(r.rsync).toContain('--max-delete=100');
    expect(r.rsync).toContain('-p 2222');
    expect(r.rsync).toContain('root@10.0.0.32:/srv/files/');
    expect(r.last).toMatch(/^status=ok$/m);
    expect(r.last).toMatch(/^bytes=1234$/m);
    expect(r.last).toMatch(/^holder=files-a$/m);
    expect(r.last).toMatch(/^peer_stamp=ok$/m);
    expect(r.good).toMatch(/^status=ok$/m);
  });

  it('does not copy when the VIP is only on loopback', () => {
    const r = run([addr('lo', '127.0.0.1', 1), addr('lo', '10.0.0.30', 1), addr('eth0', '10.0.0.31')], standby);
    expect(r.code).toBe(0);
    expect(r.rsync).toBe('');
    expect(r.last).toBeNull();
    expect(r.idle).toMatch(/^checked=\d+$/m);
  });

  it('copies nothing and says so when its own address is not in the list (the read proved nothing)', () => {
    const r = run([addr('eth0', '10.0.0.30')], standby);
    expect(r.code).toBe(3);
    expect(r.rsync).toBe('');
    expect(r.last).toMatch(/^status=holder-unknown$/m);
  });

  it('copies nothing when ip fails', () => {
    const r = run(holder, standby, { FAKE_IP: path.join(root, 'absent') });
    expect(r.code).toBe(3);
    expect(r.rsync).toBe('');
  });

  it('copies nothing when the peer holds the VIP too, or cannot be read', () => {
    const both = run(holder, [...standby, addr('eth0', '10.0.0.30')]);
    expect(both.code).toBe(4);
    expect(both.rsync).toBe('');
    expect(both.last).toMatch(/^status=peer-holds-vip$/m);
    const down = run(holder, standby, { FAKE_SSH_DOWN: '1' });
    expect(down.code).toBe(5);
    expect(down.rsync).toBe('');
    expect(down.last).toMatch(/^status=peer-unknown$/m);
  });

  it('records a run --max-delete stopped, and keeps the last good stamp', () => {
    expect(run(holder, standby).good).toMatch(/^status=ok$/m);
    const good = fs.readFileSync(path.join(root, 'files', 'good'), 'utf8');
    const r = run(holder, standby, { FAKE_RSYNC_EXIT: '25' });
    expect(r.code).toBe(25);
    expect(r.last).toMatch(/^status=max-delete$/m);
    expect(r.last).toMatch(/^exit=25$/m);
    expect(r.good).toBe(good);
  });

  it('stamps a paused run and copies nothing', () => {
    fs.mkdirSync(path.join(root, 'files'), { recursive: true });
    fs.writeFileSync(path.join(root, 'files', 'paused'), '');
    const r = run(holder, standby);
    expect(r.code).toBe(0);
    expect(r.rsync).toBe('');
    expect(r.last).toMatch(/^status=paused$/m);
  });

  it('is valid POSIX sh for both schedulers', () => {
    for (const member of syncTimerFiles(group, [a, { ...b, os: 'openbsd' }], options)) {
      const file = path.join(dir, `check-${member.server}.sh`);
      fs.writeFileSync(file, member.files[0].content);
      expect(() => execFileSync('/bin/sh', ['-n', file])).not.toThrow();
    }
  });
});

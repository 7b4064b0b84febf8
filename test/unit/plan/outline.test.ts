import { describe, expect, it } from 'vitest';
import { generateOutline } from '../../../electron/plan/outline';
import {
  shellWord,
  rsyncTo,
  psql,
  acquireVip,
  releaseVip,
  showVip,
  probeDuplicate,
  announceVip,
  unitCommand,
} from '../../../electron/plan/commands';
import type { OutlineStep } from '../../../electron/plan/outline';
import { exampleSnapshot, pairGroup, server, service } from './fixtures';

const commandsOf = (steps: OutlineStep[]) => steps.flatMap((s) => s.commands);

function outlineFor(groupName: string, options: { keyPath?: string } = {}) {
  const snap = exampleSnapshot();
  if (options.keyPath) for (const s of snap.servers) s.ssh.auth = { kind: 'key', keyPath: options.keyPath };
  const group = snap.groups.find((g) => g.name === groupName)!;
  return generateOutline({
    group,
    services: snap.services.filter((s) => s.groupId === group.id),
    servers: new Map(snap.servers.map((s) => [s.id, s])),
    technician: 'Sam Patel, IT admin',
    declarer: 'Jo Morgan, Operations manager',
  });
}

describe('generated runbook outline', () => {
  it('moves the web VIP break-before-make: stop, release and check, probe, start, acquire and announce', () => {
    const outline = outlineFor('web');
    expect(outline).toMatchObject({ provisional: true, from: 'web-a', to: 'web-b' });
    expect(commandsOf(outline.steps)).toEqual([
      'systemctl stop crm nginx',
      'ip addr del 192.0.2.10/24 dev eth0',
      'ip -o addr show dev eth0 to 192.0.2.10/32',
      'arping -D -c 2 -I eth0 192.0.2.10',
      'systemctl start nginx crm',
      'ip addr add 192.0.2.10/24 dev eth0',
      'arping -U -c 3 -I eth0 192.0.2.10',
    ]);
    expect(outline.steps[0]).toMatchObject({ role: 'Jo Morgan, Operations manager', commands: [], where: null });
    expect(outline.steps[2]).toMatchObject({ role: 'Sam Patel, IT admin', where: 'web-a (192.0.2.11)' });
  });

  it('promotes the database replica after the address is released, and verifies it left recovery', () => {
    const outline = outlineFor('db');
    const all = commandsOf(outline.steps);
    expect(all.indexOf("runuser -u postgres -- psql -p 5432 -d crm -Atc 'SELECT pg_promote()'")).toBeGreaterThan(
      all.indexOf('ip addr del 192.0.2.20/24 dev eth0'),
    );
    expect(commandsOf(outline.preflight)).toContain(
      "runuser -u postgres -- psql -p 5432 -d crm -Atc 'SELECT pg_is_in_recovery()'",
    );
    expect(commandsOf(outline.switchback)).toContain(
      'runuser -u postgres -- pg_basebackup -h 192.0.2.22 -p 5432 -D /var/lib/postgresql/15/main -R -X stream',
    );
  });

  it('copies files only from the VIP holder, checking it holds the address first', () => {
    const outline = outlineFor('files');
    const copy = outline.steps.find((s) => s.title.includes('copy the last changes'))!;
    expect(copy.commands).toEqual([
      'ip -o addr show dev eth0 to 192.0.2.30/32',
      "rsync -aH --exclude='*.tmp' -- /srv/files/ root@192.0.2.32:/srv/files/",
    ]);
    expect(copy.where).toBe('files-a (192.0.2.31)');
    const back = outline.switchback.find((s) => s.title.includes('back to files-a'))!;
    expect(back.commands[1]).toBe("rsync -aH --exclude='*.tmp' -- /srv/files/ root@192.0.2.31:/srv/files/");
  });

  it('for a group without a standby, calls the vendor with the contract and phone', () => {
    const outline = outlineFor('pbx');
    expect(outline.to).toBeNull();
    expect(outline.steps[1].title).toBe('Call VoxTel Ltd on +44 20 7946 0100, contract VX-20417 (24x7, 4 h on-site)');
  });

  it('keeps SSH key paths out of every command', () => {
    for (const name of ['gw', 'web', 'db', 'files', 'pbx']) {
      const outline = outlineFor(name, { keyPath: '/root/.ssh/lifeboat_secret_key' });
      expect(JSON.stringify(outline)).not.toContain('lifeboat_secret_key');
    }
  });

  it('uses ifconfig and rcctl on OpenBSD', () => {
    const a = server(1, 'fw-a', { os: 'openbsd' });
    const b = server(2, 'fw-b', { os: 'openbsd' });
    const group = pairGroup(1, 'fw', 1, 2, {
      processes: ['pf_sync'],
      vips: [
        {
          address: '192.0.2.1',
          prefix: 24,
          interfaces: [
            { serverId: 1, interface: 'em0' },
            { serverId: 2, interface: 'em0' },
          ],
        },
      ],
    });
    const outline = generateOutline({
      group,
      services: [service(1, 'Firewall', { groupId: 1 })],
      servers: new Map([
        [1, a],
        [2, b],
      ]),
      technician: 't',
      declarer: 'd',
    });
    expect(commandsOf(outline.steps)).toEqual([
      'rcctl stop pf_sync',
      'ifconfig em0 inet 192.0.2.1 delete',
      "ifconfig em0 | grep -F -- 'inet 192.0.2.1 '",
      'ping -c 2 192.0.2.1',
      'rcctl start pf_sync',
      'ifconfig em0 inet 192.0.2.1/24 alias',
    ]);
  });
});

describe('plan commands', () => {
  it('quotes only what is not a plain word, POSIX style', () => {
    expect(shellWord('eth0')).toBe('eth0');
    expect(shellWord('/srv/my files')).toBe("'/srv/my files'");
    expect(shellWord("it's")).toBe("'it'\\''s'");
    expect(shellWord('-rf')).toBe("'-rf'");
    expect(shellWord('$(reboot)')).toBe("'$(reboot)'");
    expect(shellWord('')).toBe("''");
  });

  it('keeps a hostile exclude pattern or path one quoted argument', () => {
    const [command] = rsyncTo(['/srv/a b'], ["x'; rm -rf / #"], { user: 'root', host: '192.0.2.3' });
    expect(command).toBe(
      "rsync -aH --protect-args --exclude='x'\\''; rm -rf / #' -- '/srv/a b/' 'root@192.0.2.3:/srv/a b/'",
    );
  });

  it('writes IPv6 VIP commands with the right family and host prefix', () => {
    const vip = { address: '2001:db8::10', prefix: 64, interface: 'eth0' };
    expect(acquireVip('linux', vip)).toBe('ip addr add 2001:db8::10/64 dev eth0');
    expect(releaseVip('openbsd', vip)).toBe('ifconfig eth0 inet6 2001:db8::10 delete');
    expect(showVip('linux', vip)).toBe('ip -o addr show dev eth0 to 2001:db8::10/128');
    expect(probeDuplicate('linux', vip).command).toBe('ping -6 -c 2 2001:db8::10');
    expect(announceVip('linux', vip)).toBeNull();
  });

  it('runs psql as the database user on both systems', () => {
    const spec = { osUser: '_postgresql', port: 5433, database: 'crm' };
    expect(psql('openbsd', spec, 'SELECT 1')).toBe(
      "su -s /bin/sh _postgresql -c 'psql -p 5433 -d crm -Atc '\\''SELECT 1'\\'''",
    );
    expect(unitCommand('linux', 'check', ['a@b.service'])).toBe('systemctl is-active a@b.service');
  });
});

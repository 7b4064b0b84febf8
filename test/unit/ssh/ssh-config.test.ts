import { describe, expect, it } from 'vitest';
import { parseSshConfig } from '../../../electron/ssh/ssh-config';

const context = { home: '/home/admin', localUser: 'admin' };

const CONFIG = `
# the call centre
Host bastion
  HostName 203.0.113.5
  User ops
  Port 2222
  IdentityFile ~/.ssh/id_ed25519

Host web-a web-b
  User root
  ProxyJump bastion

Host web-a
  HostName 10.77.0.21
  # a later value for the same keyword does not win
  User nobody

Host web-b
  HostName=10.77.0.22
  IdentityFile "%d/keys/web key"

Host db-*
  User postgres

Host *
  User fallback
  Port 22
`;

describe('importing an SSH config', () => {
  it('turns each concrete Host into a server draft, first value winning', () => {
    const { hosts, problems } = parseSshConfig(CONFIG, context);
    expect(problems).toEqual([]);
    expect(hosts.map((h) => h.alias)).toEqual(['bastion', 'web-a', 'web-b']);
    const [bastion, webA, webB] = hosts;
    expect(bastion).toMatchObject({
      line: 3,
      jumpAlias: null,
      problems: [],
      draft: {
        name: 'bastion',
        ssh: {
          host: '203.0.113.5',
          port: 2222,
          user: 'ops',
          auth: { kind: 'key', keyPath: '/home/admin/.ssh/id_ed25519' },
        },
      },
    });
    expect(webA).toMatchObject({
      jumpAlias: 'bastion',
      draft: { ssh: { host: '10.77.0.21', user: 'root', port: 22, auth: { kind: 'agent' } } },
    });
    expect(webB.draft?.ssh.auth).toEqual({ kind: 'key', keyPath: '/home/admin/keys/web key' });
    expect(webA.draft).toMatchObject({ os: 'linux', addresses: [], ssh: { jumpServerId: null } });
  });

  it('uses wildcard blocks as defaults only, and the local user when none is given', () => {
    const { hosts } = parseSshConfig('Host solo\n  HostName solo.example.com\nHost *\n  Port 2200\n', context);
    expect(hosts).toHaveLength(1);
    expect(hosts[0].draft?.ssh).toMatchObject({ host: 'solo.example.com', port: 2200, user: 'admin' });
    expect(parseSshConfig('Host *.example.com !x\n  User a\n', context).hosts).toEqual([]);
  });

  it('validates every field and reports problems per host, without a draft', () => {
    const text = [
      'Host bad-ip',
      '  HostName 010.0.0.1',
      'Host bad-port',
      '  Port 65536',
      'Host bad-user',
      '  User "Root Admin"',
      'Host bad-key',
      '  IdentityFile keys/relative',
      'Host bad-token',
      '  IdentityFile /keys/%C',
      'Host spaced',
      '  HostName "web a"',
      'Host injection',
      '  HostName $(reboot)',
      'Host multi-hop',
      '  ProxyJump ops@bastion:22,other',
      'Host proxied',
      '  ProxyCommand nc %h %p',
      'Host Under_Score!',
    ].join('\n');
    const byAlias = Object.fromEntries(parseSshConfig(text, context).hosts.map((h) => [h.alias, h]));
    for (const alias of [
      'bad-ip',
      'bad-port',
      'bad-user',
      'bad-key',
      'bad-token',
      'spaced',
      'injection',
      'multi-hop',
      'proxied',
    ]) {
      expect(byAlias[alias]?.draft, alias).toBeNull();
      expect(byAlias[alias]?.problems.length, alias).toBeGreaterThan(0);
    }
    expect(byAlias['bad-ip'].problems[0]).toMatch(/HostName.*canonical/);
    expect(byAlias['bad-port'].problems[0]).toMatch(/Port "65536"/);
    expect(byAlias['bad-key'].problems[0]).toMatch(/absolute path/);
    expect(byAlias['multi-hop'].problems[0]).toMatch(/single hop/);
    expect(byAlias.proxied.problems).toContain('ProxyCommand is not supported; use ProxyJump');
    expect(byAlias['Under_Score!']).toBeUndefined(); // "!" makes it a negated pattern, not a host
  });

  it('reports Include, Match, unreadable lines and unclosed quotes with their line numbers', () => {
    const { hosts, problems } = parseSshConfig(
      'Include ~/.ssh/conf.d/*\nHost a\n  User "unclosed\nMatch host a\n  User ignored\n???\n',
      context,
    );
    expect(problems).toEqual([
      { line: 1, message: 'Include is not followed; import ~/.ssh/conf.d/* separately' },
      { line: 3, message: 'User has no value or an unclosed quote' },
      { line: 4, message: 'Match blocks are not imported; their settings were skipped' },
      { line: 6, message: 'cannot read "???"' },
    ]);
    expect(hosts[0].draft?.ssh.user).toBe('admin');
  });

  it('lower-cases aliases into server names and refuses NUL', () => {
    expect(parseSshConfig('Host Web-A\n  HostName 10.0.0.1\n', context).hosts[0].draft?.name).toBe('web-a');
    expect(parseSshConfig('Host a\u0000', context).problems[0].message).toMatch(/NUL/);
  });
});

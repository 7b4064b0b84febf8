import { describe, expect, it } from 'vitest';
import {
  absolutePathProblem,
  hostProblem,
  interfaceProblem,
  ipProblem,
  portProblem,
  unitProblem,
  userProblem,
} from '../../../shared/validation';

describe('IP addresses', () => {
  it.each([
    '192.0.2.10',
    '0.0.0.0',
    '255.255.255.255',
    '10.77.0.1',
    '2001:db8::1',
    '::1',
    'fe80::1:2',
    '2001:db8:0:1:1:1:1:1',
  ])('accepts canonical %s', (ip) => expect(ipProblem(ip)).toBeNull());
  it.each([
    ['192.0.2.300', 'above 255'],
    ['010.0.2.12', 'canonical'],
    ['1.2.3', 'four numbers'],
    ['10.0.0.1\n', 'digits and dots'],
    ['１９２.0.2.1', 'digits and dots'],
    ['127.1', 'four numbers'],
    ['0x7f.0.0.1', 'digits and dots'],
    ['2130706433', 'four numbers'],
    ['', 'required'],
    ['2001:DB8::1', 'lower-case'],
    ['2001:db8:0:0:0:0:0:1', 'canonical form'],
    ['2001:db8::01', 'leading zeros'],
    ['1::2::3', 'once'],
  ])('refuses %j (%s)', (ip, why) => {
    expect(ipProblem(ip)).toContain(why);
  });
});

describe('names that reach commands', () => {
  it('accepts ordinary interface names and refuses metacharacters and a leading dash', () => {
    for (const ok of ['eth0', 'enp0s3', 'em0', 'vlan10', 'br-lan', 'eth0.100', 'eth0:1'])
      expect(interfaceProblem(ok)).toBeNull();
    for (const bad of ['-eth0', 'eth0;reboot', 'eth0 ', '$(id)', 'eth`id`', 'a'.repeat(16), ''])
      expect(interfaceProblem(bad)).not.toBeNull();
  });
  it('accepts systemd and rc.d unit names and refuses shell text', () => {
    for (const ok of ['nginx', 'postgresql@15-main.service', 'smbd', 'getty@tty1']) expect(unitProblem(ok)).toBeNull();
    for (const bad of ['-nginx', 'nginx;id', 'a b', "x'y", 'x\ny']) expect(unitProblem(bad)).not.toBeNull();
  });
  it('accepts absolute paths and refuses relative, dot-dot, NUL and newlines', () => {
    expect(absolutePathProblem('/srv/files')).toBeNull();
    expect(absolutePathProblem('srv/files')).toContain('absolute');
    expect(absolutePathProblem('/srv/../etc')).toContain('..');
    expect(absolutePathProblem('/srv/a\u0000b')).toContain('NUL');
    expect(absolutePathProblem('/srv/a\nb')).toContain('newlines');
  });
  it('accepts host names and refuses spaces and newlines', () => {
    expect(hostProblem('db-a.office.example')).toBeNull();
    expect(hostProblem('192.0.2.21')).toBeNull();
    expect(hostProblem('db a')).toContain('not a host name');
    expect(hostProblem('db\nrm')).toContain('\\x0a');
    expect(hostProblem('192.0.2.300')).toContain('above 255');
  });
  it('checks ports and user names', () => {
    expect(portProblem(22)).toBeNull();
    expect(portProblem(0)).not.toBeNull();
    expect(portProblem(65536)).not.toBeNull();
    expect(portProblem(22.5)).not.toBeNull();
    expect(userProblem('root')).toBeNull();
    expect(userProblem('Root;id')).not.toBeNull();
  });
});

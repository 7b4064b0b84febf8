/** What may be a VIP: the address rules the schemas, the save rules and the import share. */
import { describe, expect, it } from 'vitest';
import { sameSubnet, subnetProblem, vipAddressProblem } from '../../../shared/logic/vip-rules';
import { Vip } from '../../../shared/domain';
import { VipAcquireParams, VipReleaseParams } from '../../../shared/runbooks';

describe('addresses that cannot be a VIP', () => {
  it.each([
    ['127.0.0.1', 32, 'loopback'],
    ['127.9.9.9', 24, 'loopback'],
    ['224.0.0.18', 24, 'multicast'],
    ['239.255.255.250', 24, 'multicast'],
    ['255.255.255.255', 32, 'broadcast'],
    ['192.0.2.255', 24, 'broadcast address of 192.0.2.255/24'],
    ['10.77.0.0', 24, 'network address of 10.77.0.0/24'],
    ['10.77.0.64', 26, 'network address'],
    ['0.0.0.0', 24, 'unspecified'],
    ['0.1.2.3', 24, 'unspecified'],
    ['169.254.10.1', 16, 'link-local'],
    ['::', 64, 'unspecified'],
    ['::1', 128, 'loopback'],
    ['ff02::12', 64, 'multicast'],
    ['2001:db8::', 64, 'network address'],
  ])('refuses %s/%i (%s)', (address, prefix, why) => {
    expect(vipAddressProblem(address, prefix)).toContain(why);
  });

  it.each([
    ['192.0.2.10', 24],
    ['10.77.0.1', 24],
    ['10.77.0.254', 24],
    ['10.0.0.0', 31],
    ['10.0.0.1', 31],
    ['10.0.0.7', 32],
    ['2001:db8::10', 64],
    ['fe80::10', 64],
  ])('accepts %s/%i', (address, prefix) => {
    expect(vipAddressProblem(address, prefix)).toBeNull();
  });

  it('the group schema and both VIP step schemas refuse them on the address field', () => {
    const group = Vip.safeParse({ address: '127.0.0.1', prefix: 8 });
    expect(group.success).toBe(false);
    expect(group.error?.issues[0]).toMatchObject({ path: ['address'], message: expect.stringContaining('loopback') });
    for (const schema of [VipAcquireParams, VipReleaseParams]) {
      const step = schema.safeParse({ address: '10.77.0.255', prefix: 24, interface: 'eth0' });
      expect(step.success).toBe(false);
      expect(step.error?.issues[0]).toMatchObject({ path: ['address'], message: expect.stringContaining('broadcast') });
    }
  });
});

describe('subnets', () => {
  it('compares networks of either family by the VIP prefix', () => {
    expect(sameSubnet('10.77.0.21', '10.77.0.20', 24)).toBe(true);
    expect(sameSubnet('10.77.1.21', '10.77.0.20', 24)).toBe(false);
    expect(sameSubnet('10.77.1.21', '10.77.0.20', 16)).toBe(true);
    expect(sameSubnet('2001:db8::2', '2001:db8::10', 64)).toBe(true);
    expect(sameSubnet('2001:db8:1::2', '2001:db8::10', 64)).toBe(false);
    expect(sameSubnet('10.77.0.1', '2001:db8::10', 24)).toBe(false);
  });

  it('judges a member only where its subnet is known (an address of the VIP family is listed)', () => {
    const member = (addresses: string[], host = 'db-a.example') => ({ name: 'db-a', addresses, ssh: { host } });
    expect(subnetProblem({ address: '10.77.0.20', prefix: 24 }, member(['10.77.0.21']))).toBeNull();
    expect(subnetProblem({ address: '10.77.5.20', prefix: 24 }, member(['10.77.0.21']))).toMatch(
      /10\.77\.5\.20\/24 is outside the subnet of db-a \(10\.77\.0\.21\)/,
    );
    expect(subnetProblem({ address: '10.77.5.20', prefix: 24 }, member([], '10.77.0.21'))).toMatch(
      /outside the subnet/,
    );
    expect(subnetProblem({ address: '10.77.5.20', prefix: 24 }, member([]))).toBeNull();
    expect(subnetProblem({ address: '2001:db8::10', prefix: 64 }, member(['10.77.0.21']))).toBeNull();
  });
});

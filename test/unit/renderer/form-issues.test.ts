/** Issues from the shared schemas and from the host land on the right form fields. */
import { describe, expect, it } from 'vitest';
import { messagesAt, owningField, pathWithin } from '../../../renderer/src/components/form-issues';
import { serverDraft, serverFields, serverIssues } from '../../../renderer/src/features/servers/server-fields';
import { groupDraft, groupFields, type GroupFields } from '../../../renderer/src/features/groups/group-fields';
import { parseNumber } from '../../../renderer/src/components/format';
import { formatPath } from '../../../shared/errors';

describe('form issue mapping', () => {
  it('puts item issues under their list field and says which item', () => {
    const issues = [
      { path: ['phones', 1], message: 'a phone number: digits, spaces, + ( ) . / -' },
      { path: ['addresses', 0], message: '"192.0.2.300" is not an IPv4 address (300 is above 255)' },
    ];
    expect(messagesAt(issues, 'phones')).toEqual([]);
    expect(messagesAt(issues, 'phones', true)).toEqual(['entry 2: a phone number: digits, spaces, + ( ) . / -']);
    expect(messagesAt(issues, 'addresses', true)).toEqual(['"192.0.2.300" is not an IPv4 address (300 is above 255)']);
  });

  it('finds the field that owns a nested path, and does not confuse look-alike keys', () => {
    expect(owningField('members[1].serverId', ['name', 'members', 'vips'])).toBe('members');
    expect(owningField('ssh.auth.keyPath', ['ssh.auth.kind', 'ssh.auth.keyPath'])).toBe('ssh.auth.keyPath');
    expect(pathWithin('datastore', 'data')).toBe(false);
  });

  it('reads typed numbers strictly, so "0x10" or "1e3" are refused rather than guessed', () => {
    expect(parseNumber(' 22 ')).toBe(22);
    expect(parseNumber('')).toBeUndefined();
    expect(parseNumber('0x10')).toBeNaN();
    expect(parseNumber('1e3')).toBeNaN();
  });
});

describe('the server form', () => {
  const fields = (patch: Partial<ReturnType<typeof serverFields>>) => ({ ...serverFields(), ...patch });

  it('reports a bad name, a non-canonical address and port 70000 on their own fields', () => {
    const issues = serverIssues(fields({ name: 'bad name', addresses: '192.0.2.300', 'ssh.port': '70000' }));
    const paths = issues.map((i) => formatPath(i.path));
    expect(paths).toEqual(expect.arrayContaining(['name', 'addresses[0]', 'ssh.port']));
    // The empty SSH host follows the bad address; its problem is reported once, on the address.
    expect(paths).not.toContain('ssh.host');
  });

  it('uses the first address as the SSH host when the host is left empty', () => {
    const draft = serverDraft(fields({ name: 'mail-a', addresses: '192.0.2.50, 192.0.2.51' }));
    expect(draft.ssh.host).toBe('192.0.2.50');
    expect(serverIssues(fields({ name: 'mail-a', addresses: '192.0.2.50' }))).toEqual([]);
  });

  it('asks for a host when there is neither a host nor an address', () => {
    expect(serverIssues(fields({ name: 'mail-a' })).map((i) => formatPath(i.path))).toContain('ssh.host');
  });
});

describe('the service-group form', () => {
  it('sends interfaces only for members that have one, in member order', () => {
    const fields: GroupFields = {
      ...groupFields(),
      name: 'web',
      members: [
        { key: 1, serverId: '4', role: 'primary' },
        { key: 2, serverId: '5', role: 'standby' },
      ],
      vips: [{ key: 3, address: '192.0.2.10', prefix: '24', interfaces: { '5': 'eth1', '4': ' eth0 ', '9': 'eth9' } }],
    };
    const draft = groupDraft(fields);
    expect(draft.vips?.[0].interfaces).toEqual([
      { serverId: 4, interface: 'eth0' },
      { serverId: 5, interface: 'eth1' },
    ]);
  });

  it('builds the data spec of the chosen kind only', () => {
    const fields = groupFields();
    fields.data = {
      ...fields.data,
      kind: 'rsync',
      paths: '/srv/files\n/srv/home\n',
      excludes: '*.tmp',
      intervalMinutes: '60',
      dataDir: '/ignored',
    };
    expect(groupDraft(fields).data).toEqual({
      kind: 'rsync',
      paths: ['/srv/files', '/srv/home'],
      excludes: ['*.tmp'],
      intervalMinutes: 60,
    });
  });
});

import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parsePlanYaml, planToYaml, PlanDocument } from '../../../shared/plan-file';
import { exampleCompany } from '../../../shared/example-company';
import { LifeboatError } from '../../../shared/errors';

const failure = (text: string): LifeboatError => {
  try {
    parsePlanYaml(text);
  } catch (error) {
    if (error instanceof LifeboatError) return error;
    throw error;
  }
  throw new Error('expected the plan to be refused');
};

const example = () => planToYaml(PlanDocument.parse(exampleCompany()));

const PLAN = (group: string, server = '') => `lifeboat: 1
servers:
  - name: db-a
    ssh: { host: 192.0.2.21 }${server}
  - name: db-b
    ssh: { host: 192.0.2.22 }
groups:
  - name: db
    members:
      - { server: db-a, role: primary }
      - { server: db-b, role: standby }
${group}`;

describe('plan file: every nested object is strict', () => {
  it('refuses an unknown key in every mapping of the example plan, naming the key', () => {
    const mappings: (string | number)[][] = [];
    const walk = (value: unknown, at: (string | number)[]) => {
      if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...at, i]));
      else if (value !== null && typeof value === 'object') {
        mappings.push(at);
        for (const [key, v] of Object.entries(value)) walk(v, [...at, key]);
      }
    };
    walk(parseDocument(example()).toJS(), []);
    // interfaces is a record of member names: an unknown name is refused by the reference check instead.
    const objects = mappings.filter((p) => p[p.length - 1] !== 'interfaces');
    expect(objects.length).toBeGreaterThan(40);
    for (const path of objects) {
      const copy = parseDocument(example());
      copy.setIn([...path, 'surplus'], 1);
      const error = failure(copy.toString());
      expect(error.message, `at ${path.join('.')}`).toMatch(/surplus/);
    }
  });

  it('names the line of a misspelt key in support', () => {
    const text = PLAN('', '\n    support: { vendor: Dell, phone: "+1 555 0100", hour: 24x7 }');
    expect(failure(text).message).toMatch(/line 5, servers\[0\]\.support: .*hour/);
  });

  it('refuses a misspelt key in ssh.auth and in group data', () => {
    const auth = `lifeboat: 1\nservers:\n  - name: a\n    ssh:\n      host: 192.0.2.1\n      auth: { kind: key, keyPath: /root/.ssh/id, passphrase: x }\n`;
    expect(failure(auth).message).toMatch(/line 6, servers\[0\]\.ssh\.auth: .*passphrase/);
    const data = PLAN('    data: { kind: postgres, dataDir: /srv/pg, databse: crm }\n');
    expect(failure(data).message).toMatch(/line 12, groups\[0\]\.data: .*databse/);
  });
});

describe('plan file: the same domain checks as the forms', () => {
  it.each([
    ['an IPv4 prefix of 99', '192.0.2.20', 99, 'from 1 to 32'],
    ['an IPv4 prefix of 0', '192.0.2.20', 0, 'from 1 to 32'],
    ['an IPv6 prefix of 129', '2001:db8::20', 129, 'from 1 to 128'],
  ])('refuses %s with its line', (_label, address, prefix, message) => {
    const text = PLAN(`    vips:\n      - address: ${address}\n        prefix: ${prefix}\n`);
    expect(failure(text).message).toMatch(new RegExp(`line 14, groups\\[0\\].vips\\[0\\]\\.prefix: .*${message}`));
  });

  it('accepts an IPv6 prefix of 64', () => {
    expect(
      parsePlanYaml(PLAN(`    vips:\n      - address: 2001:db8::20\n        prefix: 64\n`)).groups[0].vips[0].prefix,
    ).toBe(64);
  });

  it.each([
    ['a non-canonical address', 'addresses: [010.0.2.12]', /canonical/],
    [
      'a path with ..',
      'ssh: { host: 192.0.2.9, auth: { kind: key, keyPath: /root/../etc/shadow } }',
      /may not contain "\.\."/,
    ],
    ['a host name with a space', 'ssh: { host: "bad host" }', /not a host name/],
    ['a user name with a semicolon', 'ssh: { host: 192.0.2.9, user: "root;reboot" }', /not a user name/],
    ['a port of 65536', 'ssh: { host: 192.0.2.9, port: 65536 }', /from 1 to 65535/],
  ])('refuses %s in a server', (_label, field, message) => {
    const text = `lifeboat: 1\nservers:\n  - name: x\n    ${field.startsWith('ssh') ? field : `${field}\n    ssh: { host: 192.0.2.9 }`}\n`;
    expect(failure(text).message).toMatch(message);
  });
});

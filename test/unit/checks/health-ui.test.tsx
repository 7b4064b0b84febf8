/** The Health screen's model and static rendering (no DOM here: react-dom/server). */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { CheckDraft, type CheckResult, type CheckView } from '../../../shared/checks';
import { exampleCompany } from '../../../shared/example-company';
import { PlanDocument } from '../../../shared/plan-file';
import type { Snapshot } from '../../../shared/domain';
import { chartData, groupHealth, ungroupedChecks } from '../../../renderer/src/features/health/health-model';
import { draftOf, formOf } from '../../../renderer/src/features/health/check-fields';
import { GroupCard } from '../../../renderer/src/features/health/GroupCard';
import { ForgetPin, forgetConfirmed } from '../../../renderer/src/features/health/HostKeyDialog';
import { PassphraseDialog } from '../../../renderer/src/features/health/PassphraseDialog';
import { PasswordDialog } from '../../../renderer/src/features/health/PasswordDialog';
import type { Api } from '../../../shared/api-client';
import { check } from './fixtures';

/** The example company as a snapshot with ids (servers 1..9 in plan order, groups 1..5). */
function snapshot(): Snapshot {
  const plan = PlanDocument.parse(exampleCompany());
  const servers = plan.servers.map((s, i) => ({
    ...s,
    id: i + 1,
    siteId: null,
    ssh: { ...s.ssh, jumpServerId: null },
  }));
  const serverId = (name: string) => servers.find((s) => s.name === name)!.id;
  const groups = plan.groups.map((g, i) => ({
    ...g,
    id: i + 1,
    members: g.members.map((m) => ({ serverId: serverId(m.server), role: m.role })),
    vips: g.vips.map((v) => ({ address: v.address, prefix: v.prefix, interfaces: [] })),
  }));
  const groupId = (name: string | null) => groups.find((g) => g.name === name)?.id ?? null;
  const services = plan.services.map((s, i) => ({
    ...s,
    id: i + 1,
    ownerContactId: null,
    groupId: groupId(s.group),
    dependsOn: [],
  }));
  return { settings: plan.company, sites: [], servers, services, groups, contacts: [] } as unknown as Snapshot;
}

const result = (
  checkId: number,
  status: CheckResult['status'],
  summary: string,
  metrics: CheckResult['metrics'] = {},
  at = 1000,
): CheckResult => ({
  checkId,
  at,
  status,
  observed: status,
  summary,
  metrics,
  durationMs: 5,
});

describe('the Health screen model', () => {
  const snap = snapshot();
  const web = snap.groups.find((g) => g.name === 'web')!;
  const views: CheckView[] = [
    {
      check: check({ id: 1, kind: 'vip', name: 'web: VIP ownership', groupId: web.id, params: {} }),
      latest: result(1, 'fail', 'ALARM', { holders: ['192.0.2.10=web-a,web-b'] }),
    },
    {
      check: check({ id: 2, kind: 'ssh', name: 'web-a: SSH', groupId: web.id, serverId: 3, params: {} }),
      latest: result(2, 'ok', 'web-a answers'),
    },
    {
      check: check({
        id: 3,
        kind: 'tcp',
        name: 'outside probe',
        serverId: 99,
        params: { host: '192.0.2.10', port: 80 },
      }),
      latest: null,
    },
  ];

  it('rolls each group up to its worst status, with VIP holders and members', () => {
    const health = groupHealth(snap, views).find((g) => g.group.name === 'web')!;
    expect(health.status).toBe('fail');
    expect(health.vips).toEqual([{ address: '192.0.2.10', holders: ['web-a', 'web-b'] }]);
    expect(health.members.map((m) => [m.server.name, m.status])).toEqual([
      ['web-a', 'ok'],
      ['web-b', 'unknown'],
    ]);
    expect(health.services.map((s) => s.name)).toEqual(['CRM']);
    expect(ungroupedChecks(snap, views).map((v) => v.check.id)).toEqual([3]);
  });

  it('renders the two-holders alarm in words, not colour alone', () => {
    const health = groupHealth(snap, views).find((g) => g.group.name === 'web')!;
    const html = renderToStaticMarkup(
      <GroupCard health={health} onTrustHostKey={() => {}}>
        {null}
      </GroupCard>,
    );
    expect(html).toContain('web-a AND web-b (two holders!)');
    expect(html).toContain('Failing');
  });

  it("charts the kind's metric and the status, oldest first", () => {
    const history = [result(1, 'ok', '', { latencyMs: 9 }, 3000), result(1, 'fail', '', {}, 1000)];
    expect(chartData('ssh', history)).toEqual([
      [1, 3],
      [null, 9],
      [3, 0],
    ]);
  });

  it('turns the editor form into a draft the contract accepts, and back', () => {
    const original = check({ id: 7, kind: 'postgres', name: 'db lag', groupId: 3, params: { failLagSeconds: 120 } });
    const draft = draftOf(formOf(original));
    expect(CheckDraft.parse(draft)).toMatchObject({
      id: 7,
      kind: 'postgres',
      params: { failLagSeconds: 120, warnLagSeconds: null },
    });
    const drift = draftOf({ ...formOf(null, 'drift'), name: 'd', groupId: '1', params: { paths: '/etc/a\n/etc/b\n' } });
    expect(CheckDraft.parse(drift)).toMatchObject({ params: { paths: ['/etc/a', '/etc/b'] }, serverId: null });
    const bad = draftOf({ ...formOf(null, 'disk'), name: 'd', serverId: '1', params: { warnPercent: 'eighty' } });
    expect(CheckDraft.safeParse(bad).success).toBe(false);
  });
});

describe('the changed host key: forgetting the old pin', () => {
  it("needs the server's name typed in full before the button works", () => {
    expect(forgetConfirmed('web-a', 'web-a')).toBe(true);
    expect(forgetConfirmed('  web-a ', 'web-a')).toBe(true);
    expect(forgetConfirmed('web', 'web-a')).toBe(false);
    expect(forgetConfirmed('WEB-A', 'web-a')).toBe(false);
    expect(forgetConfirmed('', 'web-a')).toBe(false);
    const render = (typed: string) =>
      renderToStaticMarkup(
        <ForgetPin serverName="web-a" typed={typed} onType={() => {}} busy={false} onForget={() => {}} />,
      );
    expect(render('web')).toMatch(/<button[^>]*disabled=""[^>]*>Forget the old pin<\/button>/);
    expect(render('web-a')).not.toMatch(/<button[^>]*disabled/);
    expect(render('web-a')).toContain('To forget the old pin, type <strong class="mono">web-a</strong>');
  });
});

describe('the passphrase question', () => {
  const request = {
    requestId: '00000000-0000-4000-8000-000000000000',
    keyPath: '/home/admin/.ssh/id_ed25519',
    attempt: 1,
    expiresAt: 0,
  };

  it('names the key file and masks what is typed', () => {
    const html = renderToStaticMarkup(<PassphraseDialog request={request} onAnswer={() => {}} />);
    expect(html).toContain('<code>/home/admin/.ssh/id_ed25519</code> is encrypted');
    const input = /<input id="key-passphrase"[^>]*\/>/.exec(html)?.[0] ?? '';
    expect(input).toContain('type="password"');
    expect(input).toContain('value=""');
    expect(html).toContain('kept in memory only');
    expect(html).not.toContain('was wrong');
  });

  it('says so after a wrong passphrase', () => {
    expect(
      renderToStaticMarkup(<PassphraseDialog request={{ ...request, attempt: 2 }} onAnswer={() => {}} />),
    ).toContain('That passphrase was wrong');
  });
});

describe('SSH passwords on the Health screen', () => {
  const snap = snapshot();
  const web = snap.groups.find((g) => g.name === 'web')!;
  const withPassword = {
    ...snap,
    servers: snap.servers.map((s) =>
      s.name === 'web-b' ? { ...s, ssh: { ...s.ssh, auth: { kind: 'password' as const } } } : s,
    ),
  };

  it('offers the password only for a member that logs in with one', () => {
    const health = groupHealth(withPassword, []).find((g) => g.group.id === web.id)!;
    const html = renderToStaticMarkup(
      <GroupCard health={health} onTrustHostKey={() => {}} onSetPassword={() => {}}>
        {null}
      </GroupCard>,
    );
    expect(html.match(/>SSH password</g)).toHaveLength(1);
    expect(html).toMatch(/web-b<\/strong>.*SSH password/);
    const plain = renderToStaticMarkup(
      <GroupCard
        health={groupHealth(snap, []).find((g) => g.group.id === web.id)!}
        onTrustHostKey={() => {}}
        onSetPassword={() => {}}
      >
        {null}
      </GroupCard>,
    );
    expect(plain).not.toContain('SSH password');
  });

  it('asks for it in a masked field that starts empty', () => {
    const html = renderToStaticMarkup(
      <PasswordDialog api={{} as Api} serverId={4} serverName="web-b" onClose={() => {}} />,
    );
    const input = /<input id="ssh-password"[^>]*\/>/.exec(html)?.[0] ?? '';
    expect(input).toContain('type="password"');
    expect(input).toContain('autoComplete="new-password"');
    expect(input).toContain('value=""');
    expect(html).toContain('Forget the stored one');
  });
});

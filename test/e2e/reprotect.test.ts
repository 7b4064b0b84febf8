/**
 * Re-protect in Chromium: a group a failover left running without redundancy is listed on the
 * Failover screen with a "Re-protect" action; its dry run shows the plan with the exact commands
 * (pg_rewind, pg_basebackup, primary_conninfo) and the live pre-flight, and the start stays
 * disabled while the pre-flight does not pass (here the members cannot be reached: their SSH
 * points at a closed port on the loopback, so nothing leaves the machine). The Health screen and
 * the Dashboard's readiness say "running without redundancy" too.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Server, Snapshot } from '../../shared/domain';
import { openWorkspace } from '../../electron/db/connection';
import { recordGroupState } from '../../electron/db/repositories/group-state';
import { openScreen, screenshot, startConsole, type ConsoleSession } from './console';

let session: ConsoleSession;

beforeAll(async () => {
  session = await startConsole();
  await session.host.call('workspace.create', { template: 'example' });
  const snapshot = await session.host.call<Snapshot>('workspace.snapshot');
  const db = snapshot.groups.find((g) => g.name === 'db')!;
  const byId = (id: number) => snapshot.servers.find((s) => s.id === id)!;
  for (const member of db.members) {
    const server: Server = byId(member.serverId);
    await session.host.call('servers.save', { ...server, ssh: { ...server.ssh, host: '127.0.0.1', port: 9 } });
  }
  const standby = db.members.find((m) => m.role === 'standby')!.serverId;
  const file = openWorkspace(session.host.dbPath);
  try {
    recordGroupState(file, {
      groupId: db.id,
      primaryServerId: standby,
      redundancy: 'without-redundancy',
      since: Date.now() - 3_600_000,
      runId: null,
      detail: `a failover moved db from ${byId(db.members[0].serverId).name} to ${byId(standby).name}; ${byId(db.members[0].serverId).name} is not a standby again until the group is re-protected`,
    });
  } finally {
    file.close();
  }
  await session.page.goto(session.host.url);
  await session.page.getByRole('navigation', { name: 'Screens' }).waitFor();
}, 60_000);

afterAll(async () => {
  await session?.cleanup();
});

it('lists the group running without redundancy and shows the re-protect dry run; start waits for a passing pre-flight', async () => {
  const page = session.page;
  await openScreen(page, 'Failover', 'Fail over');
  const listed = page.getByRole('list', { name: 'groups running without redundancy' });
  expect(await listed.textContent()).toMatch(/db is running without redundancy on db-b/);
  await listed.getByRole('button', { name: 'Re-protect db' }).click();
  const panel = page.locator('.reprotect-panel');
  await panel.getByText(/db runs on db-b since/).waitFor();
  await panel.getByRole('button', { name: 'Re-protect…' }).click();
  await panel.getByRole('heading', { name: /Plan: reprotect of db/ }).waitFor({ timeout: 30_000 });
  const text = (await panel.textContent()) ?? '';
  expect(text).toContain('Rebuild PostgreSQL on db-a as a standby of db-b');
  expect(text).toContain('pg_rewind');
  expect(text).toContain('pg_basebackup');
  expect(text).toContain('Wait until db-a streams from db-b');
  expect(text).toMatch(/BLOCK target reachable/);
  await panel.getByLabel(/Type the group's name \(db\)/).fill('db');
  const start = panel.getByRole('button', { name: 'Re-protect db-a now' });
  expect(await start.isDisabled()).toBe(true);
  await panel.getByRole('heading', { name: 'Running without redundancy' }).scrollIntoViewIfNeeded();
  await screenshot(page, 'failover-reprotect');

  await openScreen(page, 'Health');
  const card = page.getByTestId('health-group-db');
  expect(await card.locator('.health-redundancy').textContent()).toMatch(/Running without redundancy on db-b/);
  await card.scrollIntoViewIfNeeded();
  await screenshot(page, 'health-without-redundancy');

  await openScreen(page, 'Dashboard');
  const notice = page.getByTestId('without-redundancy');
  expect(await notice.textContent()).toMatch(/db runs on db-b alone since .*Re-protect it/);
  await screenshot(page, 'dashboard-without-redundancy');
  expect(session.pageErrors).toEqual([]);
}, 90_000);

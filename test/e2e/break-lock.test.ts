/**
 * The Failover screen in Chromium: a run lock left by another machine (its laptop died mid-run) is
 * shown with its owner, machine and heartbeat, and broken only once the words naming the host and
 * the run are typed, with a reason; the break is audited and the run becomes interrupted.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Snapshot } from '../../shared/domain';
import type { AuditEntry, RunView } from '../../shared/contract/failover';
import { openWorkspace } from '../../electron/db/connection';
import { insertLock, insertRun } from '../../electron/db/repositories/runs';
import { eventually, openScreen, screenshot, startConsole, type ConsoleSession } from './console';

let session: ConsoleSession;
let runId = 0;

beforeAll(async () => {
  session = await startConsole();
  await session.host.call('workspace.create', { template: 'example' });
  const web = (await session.host.call<Snapshot>('workspace.snapshot')).groups.find((g) => g.name === 'web')!;
  // The run another machine left behind, its heartbeat silent for ten minutes.
  const db = openWorkspace(session.host.dbPath);
  try {
    const owner = { pid: 4242, host: 'dead-laptop', token: '1:dead' };
    const at = Date.now() - 600_000;
    runId = insertRun(db, {
      groupId: web.id,
      groupName: 'web',
      sourceServerId: web.members[0].serverId,
      targetServerId: web.members[1].serverId,
      mode: 'real',
      status: 'running',
      operator: 'sam@dead-laptop',
      owner,
      startedAt: at,
      finishedAt: null,
      definitionHash: 'x',
      runbook: [],
      preflight: null,
      steps: [],
      rtoMinutes: 30,
      summary: '',
      note: '',
    });
    insertLock(db, { groupId: web.id, runId, operator: 'sam@dead-laptop', owner, acquiredAt: at, heartbeatAt: at });
  } finally {
    db.close();
  }
  await session.page.goto(session.host.url);
  await session.page.getByRole('navigation', { name: 'Screens' }).waitFor();
}, 60_000);

afterAll(async () => {
  await session?.cleanup();
});

it('shows the lock of another machine and breaks it only with the typed host and run, audited', async () => {
  const page = session.page;
  await openScreen(page, 'Failover', 'Fail over');
  await page.getByLabel('Service group').selectOption({ label: 'web' });
  const held = page.locator('.lock-held').filter({ hasText: `Run #${runId} of web holds this group` });
  await held.waitFor();
  expect(await held.textContent()).toMatch(
    /pid 4242 on dead-laptop, operator sam@dead-laptop, .* last heartbeat 6\d\d s ago/,
  );
  const button = held.getByRole('button', { name: 'Break the lock' });
  await held.getByLabel(/Why it is safe/).fill('the laptop died in the server room');
  await held.getByLabel(/To break the lock of run/).fill('web');
  expect(await button.isDisabled()).toBe(true);
  await held.getByLabel(/To break the lock of run/).fill(`dead-laptop run ${runId}`);
  await screenshot(page, 'failover-break-lock');
  await button.click();
  await eventually(async () =>
    expect((await session.host.call<RunView>('runs.get', { runId })).status).toBe('interrupted'),
  );
  const audit = await session.host.call<AuditEntry[]>('audit.list', { runId, limit: 50 });
  expect(audit.find((row) => row.kind === 'lock')?.detail).toMatch(
    new RegExp(
      `broke the run lock of run #${runId} \\(web\\) held by pid 4242 on dead-laptop.*: the laptop died in the server room`,
    ),
  );
  await page.getByText(new RegExp(`Run #${runId} of web was interrupted`)).waitFor();
  expect(session.pageErrors).toEqual([]);
}, 60_000);

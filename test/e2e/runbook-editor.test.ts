/**
 * The runbook editor in real Chromium against `lifeboat serve` (the built console): an action step
 * added from the built-in kinds on a chosen member, a manual step's role and minutes edited, and
 * validation errors shown on the step they concern before anything is saved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, openScreen, startConsole, type ConsoleSession } from '../../e2e/console';
import type { Runbook } from '../../../shared/runbooks';
import type { Snapshot } from '../../../shared/domain';

describe('the runbook editor', () => {
  let session: ConsoleSession;
  const page = () => session.page;

  beforeAll(async () => {
    session = await startConsole();
    await session.host.call('workspace.create', { template: 'example' });
  }, 60_000);
  afterAll(async () => {
    await session?.cleanup();
  });

  it('adds an action step and a manual step, refuses a bad one on its own row, and saves', async () => {
    const snapshot = await session.host.call<Snapshot>('workspace.snapshot', {});
    const web = snapshot.groups.find((g) => g.name === 'web')!;
    const webB = snapshot.servers.find((s) => s.name === 'web-b')!;
    await page().goto(session.host.url);
    await openScreen(page(), 'Runbooks');
    await page().getByLabel('Group and target').selectOption({ label: 'web → web-b (failover)' });
    const steps = page().locator('.runbook-steps > li');
    await eventually(async () => expect(await steps.count()).toBeGreaterThan(1));
    const before = await steps.count();

    await page().getByLabel('Action', { exact: true }).selectOption('command.run');
    await page().getByLabel('on', { exact: true }).selectOption({ label: 'web-b' });
    await page().getByRole('button', { name: 'Add an action step' }).click();
    await page().getByRole('button', { name: 'Add a manual step' }).click();
    expect(await steps.count()).toBe(before + 2);
    const manual = before + 2;
    await page().getByLabel(`Step ${manual} role`).fill('operations manager');
    await page().getByLabel(`Step ${manual} expected minutes`).fill('soon');

    await page().getByRole('button', { name: 'Save runbook' }).click();
    // The empty script and the bad minutes are reported on their own steps; nothing was saved.
    await eventually(async () => expect(await steps.nth(before).getByRole('alert').textContent()).toMatch(/script: the script is empty/));
    expect(await steps.nth(manual - 1).getByRole('alert').textContent()).toMatch(/expectedMinutes: whole minutes/);
    expect((await session.host.call<Runbook>('runbooks.get', { groupId: web.id, targetServerId: webB.id })).id).toBeNull();

    await page().getByLabel(`Step ${before + 1} parameters`).fill('{"script": "curl -fsS http://127.0.0.1/ >/dev/null", "expectedExitCodes": [0]}');
    await page().getByLabel(`Step ${manual} expected minutes`).fill('3');
    await page().getByRole('button', { name: 'Save runbook' }).click();
    await page().getByText(/^Saved\./).waitFor();
    const saved = await session.host.call<Runbook>('runbooks.get', { groupId: web.id, targetServerId: webB.id });
    expect(saved.steps.at(-2)).toMatchObject({ type: 'action', serverId: webB.id, action: { kind: 'command.run', params: { script: 'curl -fsS http://127.0.0.1/ >/dev/null' } } });
    expect(saved.steps.at(-1)).toMatchObject({ type: 'manual', role: 'operations manager', expectedMinutes: 3 });
    expect(session.pageErrors).toEqual([]);
  }, 60_000);
});

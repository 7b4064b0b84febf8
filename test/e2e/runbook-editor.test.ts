/**
 * The runbook editor and the Failover screen in Debian's Chromium against `lifeboat serve`: step
 * parameters edited in forms generated from each action's schema (no JSON), problems summarised at
 * the top with links that put the cursor in the field, the comparison with the generated runbook,
 * and both screens following changes made elsewhere without a reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, openScreen, screenshot, startConsole, type ConsoleSession } from './console';
import type { Runbook } from '../../shared/runbooks';
import type { Snapshot } from '../../shared/domain';

describe('the runbook editor', () => {
  let session: ConsoleSession;
  let snapshot: Snapshot;
  const page = () => session.page;
  const key = () => ({
    groupId: snapshot.groups.find((g) => g.name === 'web')!.id,
    targetServerId: snapshot.servers.find((s) => s.name === 'web-b')!.id,
  });

  beforeAll(async () => {
    session = await startConsole();
    await session.host.call('workspace.create', { template: 'example' });
    snapshot = await session.host.call<Snapshot>('workspace.snapshot', {});
    await page().goto(session.host.url);
  }, 60_000);
  afterAll(async () => {
    await session?.cleanup();
  });

  it('edits parameters in generated forms, links each problem to its field, compares with the generated runbook, and saves', async () => {
    await openScreen(page(), 'Runbooks');
    await page().getByLabel('Group and target').selectOption({ label: 'web → web-b (failover)' });
    const steps = page().locator('.runbook-steps > li');
    await eventually(async () => expect(await steps.count()).toBeGreaterThan(1));
    const before = await steps.count();
    const diff = page().getByTestId('runbook-diff');
    expect(await diff.textContent()).toContain('The same steps as the runbook Lifeboat generates');
    // Parameters are fields, never JSON.
    for (const text of await page()
      .locator('textarea')
      .evaluateAll((areas) => areas.map((a) => (a as HTMLTextAreaElement).value)))
      expect(text.trim().startsWith('{')).toBe(false);
    expect(
      await page()
        .getByLabel(/parameters$/i)
        .count(),
    ).toBe(0);

    await page().getByLabel('Action', { exact: true }).selectOption('command.run');
    await page().getByLabel('on', { exact: true }).selectOption({ label: 'web-b' });
    await page().getByRole('button', { name: 'Add an action step' }).click();
    await page().getByRole('button', { name: 'Add a manual step' }).click();
    expect(await steps.count()).toBe(before + 2);
    const action = before + 1;
    const manual = before + 2;
    await page().getByLabel(`Step ${manual} Role`, { exact: true }).fill('operations manager');
    await page().getByLabel(`Step ${manual} Expected (minutes)`, { exact: true }).fill('soon');
    await page().getByLabel(`Step ${action} Expected exit codes`, { exact: true }).fill('0, x');

    await page().getByRole('button', { name: 'Save runbook' }).click();
    const summary = page().getByTestId('form-errors');
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/Nothing was saved: 3 problems to fix/);
    await screenshot(page(), 'runbook-editor-errors');
    // Each link puts the cursor in its field.
    await summary.getByRole('button', { name: `Step ${action} script: the script is empty` }).click();
    expect(await page().evaluate(() => document.activeElement?.id)).toBe(
      `runbook-steps-${action - 1}-action-params-script`,
    );
    await summary.getByRole('button', { name: `Step ${manual} expected (minutes): a whole number, e.g. 5` }).click();
    expect(await page().evaluate(() => document.activeElement?.id)).toBe(`runbook-steps-${manual - 1}-expectedMinutes`);
    await summary.getByRole('button', { name: /^Step \d+ expected exit codes: a whole number/ }).click();
    expect(await page().evaluate(() => document.activeElement?.id)).toBe(
      `runbook-steps-${action - 1}-action-params-expectedExitCodes`,
    );
    expect((await session.host.call<Runbook>('runbooks.get', key())).id).toBeNull();

    await page().getByLabel(`Step ${action} Script`, { exact: true }).fill('curl -fsS http://127.0.0.1/ >/dev/null');
    await page().getByLabel(`Step ${action} Expected exit codes`, { exact: true }).fill('0, 7');
    await page().getByLabel(`Step ${manual} Expected (minutes)`, { exact: true }).fill('3');
    await page().getByLabel('Step 1 Title', { exact: true }).fill('Tell the staff the shop moves to web-b');
    await eventually(async () => expect(await diff.textContent()).toMatch(/2 added, 1 changed/));
    expect(await diff.textContent()).toMatch(/Step 1 changed: Tell the staff the shop moves to web-b \(title\)/);
    await screenshot(page(), 'runbook-editor');
    await page().locator('.step-fields', { hasText: 'vip.acquire' }).first().scrollIntoViewIfNeeded();
    await screenshot(page(), 'runbook-editor-parameters');

    await page().getByRole('button', { name: 'Save runbook' }).click();
    await page()
      .getByText(/^Saved the runbook\./)
      .waitFor();
    const saved = await session.host.call<Runbook>('runbooks.get', key());
    expect(saved.id).not.toBeNull();
    expect(saved.steps.at(-2)).toMatchObject({
      type: 'action',
      action: {
        kind: 'command.run',
        params: { script: 'curl -fsS http://127.0.0.1/ >/dev/null', expectedExitCodes: [0, 7] },
      },
    });
    expect(saved.steps.at(-1)).toMatchObject({ type: 'manual', role: 'operations manager', expectedMinutes: 3 });
    expect(session.pageErrors.join('\n')).toBe('');
  }, 60_000);

  it('follows a runbook saved elsewhere: at once when untouched, after asking when there are edits', async () => {
    const stepsShown = () => page().locator('.runbook-steps > li').count();
    const diff = page().getByTestId('runbook-diff');
    await page().getByRole('button', { name: 'Start again from the generated runbook' }).click();
    expect(await diff.textContent()).toContain('The same steps as the runbook Lifeboat generates');
    const saveElsewhere = async () => {
      const current = await session.host.call<Runbook>('runbooks.get', key());
      const steps = current.steps.slice(0, -1);
      await session.host.call('runbooks.save', {
        ...key(),
        direction: current.direction,
        sourceServerId: current.sourceServerId,
        steps,
      });
      return steps.length;
    };
    // With edits pending, the operator is told and chooses.
    const first = await saveElsewhere();
    await page()
      .getByText(/changed elsewhere while you were editing/)
      .waitFor();
    await page()
      .getByRole('button', { name: /Load that version/ })
      .click();
    expect(await stepsShown()).toBe(first);
    expect(await diff.textContent()).toMatch(/1 added, 1 changed/);
    // Untouched, the next change shows at once.
    const second = await saveElsewhere();
    await eventually(async () => expect(await stepsShown()).toBe(second));
    expect(session.pageErrors.join('\n')).toBe('');
  }, 30_000);

  it('shows a group renamed elsewhere on the Failover screen, and a plan changed elsewhere asks to be confirmed again', async () => {
    await openScreen(page(), 'Failover', 'Fail over');
    await page().getByLabel('Service group').selectOption({ label: 'web' });
    await page().getByLabel('Move to').selectOption({ label: 'web-b (standby)' });
    await page()
      .getByRole('heading', { name: /^Plan: failover of web/ })
      .waitFor();
    await screenshot(page(), 'failover-plan');

    const web = (await session.host.call<Snapshot>('workspace.snapshot', {})).groups.find((g) => g.name === 'web')!;
    await session.host.call('groups.save', { ...web, name: 'shop' });
    await page()
      .getByRole('heading', { name: /^Plan: failover of shop/ })
      .waitFor();
    expect(await page().getByLabel('Service group').locator('option:checked').textContent()).toBe('shop');

    // The runbook is edited elsewhere while the operator confirms: the name typed for the old plan is cleared.
    await page()
      .getByLabel(/Type the group's name/)
      .fill('shop');
    const current = await session.host.call<Runbook>('runbooks.get', key());
    await session.host.call('runbooks.save', {
      ...key(),
      direction: current.direction,
      sourceServerId: current.sourceServerId,
      steps: current.steps.slice(1),
    });
    await page()
      .getByText(/The plan changed while it was shown/)
      .waitFor();
    expect(
      await page()
        .getByLabel(/Type the group's name/)
        .inputValue(),
    ).toBe('');
    expect(await page().getByRole('button', { name: 'Fail over now' }).isDisabled()).toBe(true);
    await screenshot(page(), 'failover-plan-changed');
    // Enter in the name field starts nothing while the start is not offered (no pre-flight yet).
    await page()
      .getByLabel(/Type the group's name/)
      .fill('shop');
    await page()
      .getByLabel(/Type the group's name/)
      .press('Enter');
    expect((await session.host.call<unknown[]>('runs.list', {})).length).toBe(0);
    expect(await page().getByText('Run the pre-flight first').count()).toBe(1);
    expect(session.pageErrors.join('\n')).toBe('');
  }, 30_000);
});

/**
 * A new user's first session in the console, in a real browser against `lifeboat serve`:
 * load the example, add a server, move a service, reload, and be refused a bad entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../shared/domain';
import { eventually, openScreen, screenshot, startConsole, type ConsoleSession } from './console';

describe('the console, as a new user meets it', () => {
  let session: ConsoleSession;
  const page = () => session.page;
  const snapshot = () => session.host.call<Snapshot>('workspace.snapshot');

  beforeAll(async () => {
    session = await startConsole();
  });
  afterAll(async () => {
    await session?.cleanup();
  });

  it('offers the example company on first run, and the Dashboard counts its services by tier', async () => {
    await page().goto(session.host.url);
    await page().getByRole('heading', { name: 'Set up your recovery workspace' }).waitFor();
    await screenshot(page(), 'first-run-light');
    await page().emulateMedia({ colorScheme: 'dark' });
    await screenshot(page(), 'first-run-dark');
    await page().emulateMedia({ colorScheme: 'light' });
    await page().getByRole('button', { name: 'Load the example company' }).click();

    const tierCount = (tier: string) =>
      page().getByTestId(`tier-count-${tier}`).locator('.tier-count-number').textContent();
    await page().getByTestId('tier-count-critical').waitFor();
    expect(await tierCount('critical')).toBe('4');
    expect(await tierCount('important')).toBe('2');
    expect(await tierCount('routine')).toBe('1');

    const phones = page().getByTestId('unprotected-service').filter({ hasText: 'Phones' });
    expect(await phones.textContent()).toContain('no standby server');
  });

  it('shows readiness on the Dashboard, with the fixes that matter most, and opens the DR plan from it', async () => {
    const panel = page().getByTestId('readiness-summary');
    await panel.waitFor();
    const summary = await session.host.call<{ readiness: { score: number; next: { fix: string }[] } }>('plan.summary');
    expect(await panel.locator('.readiness-score').textContent()).toBe(`${summary.readiness.score}/100`);
    expect(summary.readiness.score).toBeLessThan(100);
    // Ordered by business impact: first a fix for the Network gateway (critical, 3,000 an hour down).
    const first = (await panel.locator('li').first().textContent()) ?? '';
    expect(first).toContain('Network gateway');
    expect(first).toContain('Critical');
    await panel.getByTestId('open-plan').click();
    await page().getByRole('heading', { name: 'Disaster-recovery plan', level: 1 }).waitFor();
    await openScreen(page(), 'Dashboard');
  });

  it('adds a server through the form and shows it in the table', async () => {
    await openScreen(page(), 'Servers');
    await page().getByRole('button', { name: 'Add server' }).click();
    const form = page().getByTestId('server-form');
    await form.getByLabel('Name').fill('mail-a');
    await form.getByLabel('Addresses').fill('192.0.2.50');
    await form.getByLabel('Role').fill('Mail relay');
    await form.getByRole('button', { name: 'Add server' }).click();
    await form.waitFor({ state: 'detached' });

    const row = page().getByTestId('server-row').filter({ hasText: 'mail-a' });
    expect(await row.textContent()).toContain('192.0.2.50');
    expect(await row.textContent()).toContain('root@192.0.2.50');
  });

  it('moves a service to another tier on the Services board', async () => {
    await openScreen(page(), 'Services');
    const routine = page().getByTestId('tier-column-routine');
    const important = page().getByTestId('tier-column-important');
    await routine.getByRole('heading', { name: 'Intranet wiki' }).waitFor();

    await page().getByRole('button', { name: 'Move Intranet wiki to Important' }).click();
    await important.getByRole('heading', { name: 'Intranet wiki' }).waitFor();
    expect(await routine.getByRole('heading', { name: 'Intranet wiki' }).count()).toBe(0);
    // Focus follows the card to its new column, so the keyboard user is not lost.
    await eventually(async () =>
      expect(await page().evaluate(() => document.activeElement?.getAttribute('data-service-id'))).not.toBeNull(),
    );
  });

  it('keeps the new server and the tier change after a reload', async () => {
    await page().reload();
    await page().getByTestId('tier-column-important').getByRole('heading', { name: 'Intranet wiki' }).waitFor();
    await openScreen(page(), 'Servers');
    await page().getByTestId('server-row').filter({ hasText: 'mail-a' }).waitFor();

    // And from outside the browser, through the CLI on the same workspace file.
    const stored = JSON.parse(await session.host.cli('call', 'workspace.snapshot')) as Snapshot;
    expect(stored.servers.map((s) => s.name)).toContain('mail-a');
    expect(stored.services.find((s) => s.name === 'Intranet wiki')?.tier).toBe('important');
  });

  it('shows inline errors for a bad server and saves nothing', async () => {
    const before = (await snapshot()).servers.length;
    await page().getByRole('button', { name: 'Add server' }).click();
    const form = page().getByTestId('server-form');
    await form.getByLabel('Name').fill('bad name');
    await form.getByLabel('Addresses').fill('192.0.2.300');
    await form.getByLabel('SSH port').fill('70000');
    await form.getByRole('button', { name: 'Add server' }).click();

    const errorOf = async (label: string) => {
      const input = form.getByLabel(label, { exact: true });
      expect(await input.getAttribute('aria-invalid')).toBe('true');
      const ids = (await input.getAttribute('aria-describedby')) ?? '';
      const errorId = ids.split(' ').find((id) => id.endsWith('-error'));
      return form.locator(`[id="${errorId}"]`).textContent();
    };
    expect(await errorOf('Name')).toContain('lower-case letters');
    expect(await errorOf('Addresses')).toContain('"192.0.2.300" is not an IPv4 address');
    expect(await errorOf('SSH port')).toContain('from 1 to 65535');
    expect(await form.getByTestId('form-errors').textContent()).toContain('Nothing was saved');
    expect((await snapshot()).servers.length).toBe(before);

    // A problem only the host can see (the name is taken) lands on its field the same way.
    await form.getByLabel('Name').fill('web-a');
    await form.getByLabel('Addresses').fill('192.0.2.60');
    await form.getByLabel('SSH port').fill('22');
    await form.getByRole('button', { name: 'Add server' }).click();
    await eventually(async () => expect(await errorOf('Name')).toContain('"web-a" is already used'), 10_000);
    expect((await snapshot()).servers.length).toBe(before);

    // Escape closes the dialog, nothing saved.
    await page().keyboard.press('Escape');
    await form.waitFor({ state: 'detached' });
    expect((await snapshot()).servers.length).toBe(before);
  });

  it('ran the whole session without a script error or a refused resource in the page', () => {
    expect(session.pageErrors).toEqual([]);
  });
});

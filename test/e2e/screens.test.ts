/**
 * Every main screen in light and dark, photographed for people to look at (never compared), and
 * the keyboard promises: sidebar reachable by Tab, dialogs keep focus inside and close on Escape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, openScreen, screenshot, startConsole, type ConsoleSession } from './console';

/** Each sidebar link and the heading of the screen it opens. */
const SCREENS: [link: string, heading: string][] = [
  ['Dashboard', 'Dashboard'],
  ['Health', 'Health'],
  ['Failover', 'Fail over'],
  ['Services', 'Services'],
  ['Service groups', 'Service groups'],
  ['Servers', 'Servers'],
  ['Contacts', 'Contacts'],
  ['Runbooks', 'Runbooks'],
  ['Drills', 'Drills'],
  ['DR plan', 'Disaster-recovery plan'],
  ['Audit log', 'Audit log'],
];
const slug = (title: string) => title.toLowerCase().replace(/\s+/g, '-');

describe('the screens of the console', () => {
  let session: ConsoleSession;
  const page = () => session.page;

  beforeAll(async () => {
    session = await startConsole();
    await session.host.call('workspace.create', { template: 'example' });
    await page().goto(session.host.url);
    await page().getByTestId('tier-count-critical').waitFor();
  });
  afterAll(async () => {
    await session?.cleanup();
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`renders every main screen in ${theme} (screenshots in /tmp/lifeboat-shots)`, async () => {
      await page().emulateMedia({ colorScheme: theme });
      for (const [link, heading] of SCREENS) {
        await openScreen(page(), link, heading);
        await screenshot(page(), `${slug(link)}-${theme}`);
      }
      await openScreen(page(), 'Servers');
      await page().getByRole('button', { name: 'Add server' }).click();
      const form = page().getByTestId('server-form');
      await form.getByLabel('Name').fill('Bad Name');
      await form.getByLabel('Addresses').fill('010.0.2.12, 192.0.2.7');
      await form.getByRole('button', { name: 'Add server' }).click();
      await form.getByTestId('form-errors').waitFor();
      await screenshot(page(), `server-form-errors-${theme}`);
      await page().keyboard.press('Escape');
      await form.waitFor({ state: 'detached' });

      await openScreen(page(), 'Service groups');
      await page().getByRole('button', { name: 'Edit db' }).click();
      await screenshot(page(), `group-form-${theme}`);
      await page().keyboard.press('Escape');
      expect(session.pageErrors).toEqual([]);
    });
  }

  it('follows the theme toggle over the system setting', async () => {
    await page().emulateMedia({ colorScheme: 'light' });
    await page().getByLabel('Theme').selectOption('dark');
    expect(await page().evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const background = () => page().evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).not.toBe('rgb(244, 245, 247)');
    await page().reload();
    await page()
      .getByTestId('tier-count-critical')
      .or(page().getByRole('heading', { level: 1 }))
      .first()
      .waitFor();
    expect(await page().evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page().getByLabel('Theme').selectOption('system');
    expect(await background()).toBe('rgb(244, 245, 247)');
  });

  it('reaches the sidebar by keyboard and keeps focus inside a dialog until Escape', async () => {
    // A fresh load, so Tab starts from the top of the page.
    await page().goto(`${session.host.url}#/contacts`);
    await page().getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
    const focused = () =>
      page().evaluate(() => (document.activeElement as HTMLElement | null)?.innerText?.trim() ?? '');
    // Skip link first, then the sidebar's links in order.
    await page().keyboard.press('Tab');
    expect(await focused()).toBe('Skip to content');
    await page().keyboard.press('Tab');
    expect(await focused()).toBe('Dashboard');

    await page().getByRole('button', { name: 'Add contact' }).click();
    const dialog = page().getByTestId('contact-form');
    await dialog.waitFor();
    for (let i = 0; i < 25; i++) {
      await page().keyboard.press('Tab');
      expect(await page().evaluate(() => !!document.activeElement?.closest('dialog'))).toBe(true);
    }
    await page().keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // Focus returns to the button that opened the dialog.
    await eventually(async () => expect(await focused()).toBe('Add contact'));
  });

  it("shows a group form's problems, the client's and the host's, on the rows they concern", async () => {
    const before = await session.host.call('workspace.snapshot');
    await openScreen(page(), 'Service groups');
    await page().getByRole('button', { name: 'Edit web' }).click();
    const form = page().getByTestId('group-form');
    await form.getByLabel('Member 2: role').selectOption('primary');
    await form.getByLabel('Interface on web-b').fill('-eth0');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await eventually(async () =>
      expect(await form.getByTestId('form-errors').textContent()).toContain('may not start with "-"'),
    );
    expect(await form.getByLabel('Interface on web-b').getAttribute('aria-invalid')).toBe('true');

    // Only the host knows a group needs exactly one primary; its answer lands on the members.
    await form.getByLabel('Interface on web-b').fill('eth0');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await eventually(async () =>
      expect(await form.locator('#group-form-members-error').textContent()).toContain('exactly one primary'),
    );
    await screenshot(page(), 'group-form-refused-light');
    await page().keyboard.press('Escape');
    await form.waitFor({ state: 'detached' });
    expect(await session.host.call('workspace.snapshot')).toEqual(before);
  });

  it('shows a dependency cycle refused by the host on the dependencies of the service', async () => {
    await openScreen(page(), 'Services');
    await page().getByRole('button', { name: 'Edit Network gateway' }).click();
    const form = page().getByTestId('service-form');
    await form.getByRole('checkbox', { name: 'CRM' }).check();
    await form.getByRole('button', { name: 'Save changes' }).click();
    const errors = form.locator('#service-form-dependsOn-error');
    await eventually(async () => expect(await errors.textContent()).toContain('dependency cycle'));
    await screenshot(page(), 'service-form-cycle-light');
    await page().keyboard.press('Escape');
    await form.waitFor({ state: 'detached' });
  });

  it('asks before deleting, and says why a server in use cannot go', async () => {
    await openScreen(page(), 'Servers');
    await page().getByRole('button', { name: 'Delete web-a' }).click();
    const dialog = page().getByTestId('confirm-delete');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByRole('alert').waitFor();
    expect(await dialog.getByRole('alert').textContent()).toContain('still in use');
    expect(await dialog.getByRole('alert').textContent()).toContain('group "web"');
    await screenshot(page(), 'delete-in-use-light');
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page().getByTestId('server-row').filter({ hasText: 'web-a' }).count()).toBe(1);
  });
});

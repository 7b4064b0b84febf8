/**
 * The Sites and Settings screens in Chromium, in the console as `lifeboat serve` serves it,
 * against a temporary workspace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../shared/domain';
import { eventually, openScreen, screenshot, startConsole, type ConsoleSession } from './console';

let session: ConsoleSession;
let page: ConsoleSession['page'];
let pageErrors: string[];
const snapshot = () => session.host.call<Snapshot>('workspace.snapshot');
const ws = {
  ok: <T>(method: Parameters<ConsoleSession['host']['call']>[0], payload?: unknown) =>
    session.host.call<T>(method, payload),
};

beforeAll(async () => {
  session = await startConsole();
  page = session.page;
  pageErrors = session.pageErrors;
  await ws.ok('workspace.create', { template: 'empty', companyName: 'Acme Calls' });
  await ws.ok('servers.save', { name: 'web-a', addresses: ['192.0.2.11'], ssh: { host: '192.0.2.11' } });
  await page.goto(session.host.url);
  await page.getByRole('navigation', { name: 'Screens' }).waitFor();
}, 60_000);

afterAll(async () => {
  await session?.cleanup();
});

const open = (title: 'Sites' | 'Settings') => openScreen(page, title);

describe('the Sites screen', () => {
  it('starts empty, refuses a site without a name inline, and saves nothing', async () => {
    await open('Sites');
    await page.getByText('No sites yet').waitFor();
    await page.getByRole('button', { name: 'Add site' }).click();
    const form = page.getByTestId('site-form');
    await form.getByRole('button', { name: 'Add site' }).click();
    await form.getByTestId('form-errors').waitFor();
    expect(await form.locator('.field-invalid').filter({ hasText: 'Name' }).textContent()).toContain(
      'a name is required',
    );
    expect((await snapshot()).sites).toEqual([]);
    await form.getByRole('button', { name: 'Cancel' }).click();
  });

  it('adds a site, and the table shows it', async () => {
    await page.getByRole('button', { name: 'Add site' }).click();
    const form = page.getByTestId('site-form');
    await form.getByLabel('Name').fill('Head office');
    await form.getByLabel('Address').fill('1 Quay Street');
    await form.getByRole('button', { name: 'Add site' }).click();
    await form.waitFor({ state: 'detached' });
    const row = page.getByTestId('site-row').filter({ hasText: 'Head office' });
    expect(await row.textContent()).toContain('1 Quay Street');
    expect((await snapshot()).sites).toMatchObject([{ name: 'Head office', address: '1 Quay Street' }]);
    await screenshot(page, 'sites');
  });

  it('shows the servers standing at a site, and edits it', async () => {
    const [site] = (await snapshot()).sites;
    const [server] = (await snapshot()).servers;
    await ws.ok('servers.save', { ...server, siteId: site.id });
    await page.reload();
    const row = page.getByTestId('site-row').filter({ hasText: 'Head office' });
    await eventually(async () => expect(await row.textContent()).toContain('web-a'));
    await page.getByRole('button', { name: 'Edit Head office' }).click();
    const form = page.getByTestId('site-form');
    await form.getByLabel('Address').fill('2 Quay Street');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.waitFor({ state: 'detached' });
    expect((await snapshot()).sites[0].address).toBe('2 Quay Street');
  });

  it('refuses a second site of the same name with the host’s message at the name field', async () => {
    await page.getByRole('button', { name: 'Add site' }).click();
    const form = page.getByTestId('site-form');
    await form.getByLabel('Name').fill('Head office');
    await form.getByRole('button', { name: 'Add site' }).click();
    await eventually(async () =>
      expect(await form.locator('.field-invalid').filter({ hasText: 'Name' }).textContent()).toContain('already used'),
    );
    expect((await snapshot()).sites).toHaveLength(1);
    await form.getByRole('button', { name: 'Cancel' }).click();
  });

  it('deletes a site after saying what happens to its servers', async () => {
    await page.getByRole('button', { name: 'Delete Head office' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toContain('Its servers (web-a) will have no site.');
    await dialog
      .getByRole('button', { name: /Delete/ })
      .last()
      .click();
    await page.getByText('No sites yet').waitFor();
    const snap = await snapshot();
    expect(snap.sites).toEqual([]);
    expect(snap.servers[0].siteId).toBeNull();
  });
});

describe('the Settings screen', () => {
  it('shows the saved company name, refuses a bad target inline, and saves nothing', async () => {
    await open('Settings');
    const form = page.getByTestId('settings');
    expect(await form.getByLabel('Company name').inputValue()).toBe('Acme Calls');
    await form.getByLabel('Recovery target (minutes)').fill('thirty');
    await form.getByLabel('A good drill counts for (days)').fill('0');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await form.getByTestId('form-errors').waitFor();
    expect(await form.locator('.field-invalid').filter({ hasText: 'Recovery target' }).textContent()).toContain(
      'enter a number of minutes',
    );
    expect(await form.locator('.field-invalid').filter({ hasText: 'A good drill' }).textContent()).toContain(
      'at least one day',
    );
    expect((await snapshot()).settings).toEqual({ companyName: 'Acme Calls', targetMinutes: null });
  });

  it('saves the company name, the target and the drill age', async () => {
    const form = page.getByTestId('settings');
    await form.getByLabel('Company name').fill('Acme Call Centre');
    await form.getByLabel('Recovery target (minutes)').fill('30');
    await form.getByLabel('A good drill counts for (days)').fill('120');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByTestId('notice-success').filter({ hasText: 'Saved the settings.' }).waitFor();
    expect((await snapshot()).settings).toEqual({ companyName: 'Acme Call Centre', targetMinutes: 30 });
    await ws.ok('groups.save', { name: 'web' });
    expect((await ws.ok<{ maxAgeDays: number }[]>('drills.status', {}))[0].maxAgeDays).toBe(120);
    await screenshot(page, 'settings');
  });

  it('shows what was saved after a reload, and the page raised no errors', async () => {
    await page.reload();
    const form = page.getByTestId('settings');
    await eventually(async () =>
      expect(await form.getByLabel('A good drill counts for (days)').inputValue()).toBe('120'),
    );
    expect(await form.getByLabel('Recovery target (minutes)').inputValue()).toBe('30');
    expect(pageErrors).toEqual([]);
  });
});

/**
 * The plan file from the console's File actions: export downloads lifeboat-plan.yaml, importing it
 * back restores the workspace, and a bad file is refused with its line numbers and changes nothing.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../shared/domain';
import { screenshot, startConsole, type ConsoleSession } from './console';

describe('the plan file in the console', () => {
  let session: ConsoleSession;
  let exported = '';
  const page = () => session.page;
  const snapshot = () => session.host.call<Snapshot>('workspace.snapshot');

  const chooseFile = async (name: string, text: string) => {
    await page()
      .getByTestId('import-plan-input')
      .setInputFiles({ name, mimeType: 'application/yaml', buffer: Buffer.from(text) });
    await page().getByTestId('import-plan').waitFor();
  };

  beforeAll(async () => {
    session = await startConsole();
    await session.host.call('workspace.create', { template: 'example' });
    await page().goto(session.host.url);
    await page().getByTestId('tier-count-critical').waitFor();
  });
  afterAll(async () => {
    await session?.cleanup();
  });

  it('exports the workspace as lifeboat-plan.yaml', async () => {
    const [download] = await Promise.all([
      page().waitForEvent('download'),
      page().getByRole('button', { name: 'Export plan file…' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('lifeboat-plan.yaml');
    exported = fs.readFileSync(await download.path(), 'utf8');
    expect(exported).toMatch(/^lifeboat: 1$/m);
    expect(exported).toContain('Northwind Call Centre');
    expect(exported).toContain('name: Intranet wiki');
  });

  it('imports the exported file back over a changed workspace and shows the counts', async () => {
    // Changed from outside the page: the workspace.changed event refreshes what the page shows.
    await session.host.call('workspace.create', { template: 'empty', companyName: 'Scratch' });
    await page().locator('.topbar-name', { hasText: 'Scratch' }).waitFor();
    expect(await page().getByTestId('tier-count-critical').locator('.tier-count-number').textContent()).toBe('0');

    await chooseFile('lifeboat-plan.yaml', exported);
    await page().getByRole('button', { name: 'Replace the workspace' }).click();
    const notice = page().getByTestId('notice-success').filter({ hasText: 'Imported lifeboat-plan.yaml' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('9 servers');
    await page().getByTestId('tier-count-critical').waitFor();

    const after = await snapshot();
    expect(after.settings.companyName).toBe('Northwind Call Centre');
    expect(after.servers).toHaveLength(9);
    expect(after.services).toHaveLength(7);
  });

  it('refuses a bad plan file with its line-numbered problems and changes nothing', async () => {
    const before = await snapshot();
    const bad = exported.replace('192.0.2.21', '192.0.2.300').replace('rtoMinutes: 15', 'rtoMinutes: thirty');
    expect(bad).not.toBe(exported);
    await chooseFile('broken-plan.yaml', bad);
    await page().getByRole('button', { name: 'Replace the workspace' }).click();

    const errors = page().getByTestId('import-errors');
    await errors.waitFor();
    const text = (await errors.textContent()) ?? '';
    expect(text).toContain('nothing changed');
    expect(text).toMatch(/line \d+, servers\[\d+\]\.addresses\[0\]: "192\.0\.2\.300" is not an IPv4 address/);
    expect(text).toMatch(/line \d+, services\[\d+\]\.rtoMinutes/);
    await screenshot(page(), 'import-refused-light');

    await page().getByTestId('import-plan').getByRole('button', { name: 'Close', exact: true }).last().click();
    await page().getByTestId('import-plan').waitFor({ state: 'detached' });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a file that is not YAML at all, saying where', async () => {
    const before = await snapshot();
    await chooseFile('notes.yaml', 'lifeboat: 1\nservers: [\n  {name: "web-a"\n');
    await page().getByRole('button', { name: 'Replace the workspace' }).click();
    const errors = page().getByTestId('import-errors');
    await errors.waitFor();
    expect(await errors.textContent()).toMatch(/line \d+/);
    await page().keyboard.press('Escape');
    await page().getByTestId('import-plan').waitFor({ state: 'detached' });
    expect(await snapshot()).toEqual(before);
    expect(session.pageErrors).toEqual([]);
  });
});

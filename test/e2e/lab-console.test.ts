/**
 * The admin's morning, in a real browser against `lifeboat serve` on a workspace that describes
 * the lab: read the live health, then fail the web group over to web-b through the guided screen
 * (pre-flight, the exact commands, the typed name), and find every command in the audit log.
 * The outcome is checked from outside: `ip addr` in each namespace and the client's probe.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLab, type Lab } from '../helpers/lab';
import { writeLabWorkspace } from '../lab/console';
import { holdersOf, placeVip } from '../integration/failover/lab-failover';
import { eventually, openScreen, screenshot, startConsole, type ConsoleSession } from './console';

/** The acquire command for the web VIP on web-b's eth0, however its operands are quoted. */
const acquireCommand = () => /ip addr add '?10\.77\.0\.10\/24'? dev '?eth0'?/;

describeLab('the console against the lab', (lab: () => Lab) => {
  let session: ConsoleSession;
  const page = () => session.page;

  beforeAll(async () => {
    session = await startConsole({ prepareDb: (dbPath) => writeLabWorkspace(lab(), dbPath) });
    session.context.setDefaultTimeout(15_000);
  }, 60_000);
  afterAll(async () => {
    await session?.cleanup();
    // Leave the lab as the next file expects it: the web VIP on web-a.
    if (lab()) await placeVip(lab(), lab().vips.web, 'web-a', ['web-a', 'web-b']);
  }, 60_000);

  it('shows who holds each VIP once the checks have run', async () => {
    await page().goto(session.host.url);
    await openScreen(page(), 'Health', 'Health');
    await page().getByRole('button', { name: 'Run all now' }).click();
    const webCard = page().getByTestId('health-group-web');
    await eventually(async () => expect(await webCard.textContent()).toContain('web-a'), 20_000);
    await screenshot(page(), 'lab-health');

    await openScreen(page(), 'Dashboard', 'Dashboard');
    const vipLine = page().getByTestId('live-group-web').getByTestId('live-vip');
    await eventually(async () => expect(await vipLine.textContent()).toBe(`VIP ${lab().vips.web} on web-a`), 10_000);
    expect(session.pageErrors).toEqual([]);
  }, 60_000);

  it('fails the web group over to web-b: pre-flight, commands, typed name, live steps, elapsed against the RTO', async () => {
    await openScreen(page(), 'Failover', 'Fail over');
    await page().getByLabel('Service group').selectOption({ label: 'web' });
    await page().getByLabel('Move to').selectOption({ label: 'web-b (standby)' });
    await page().getByRole('button', { name: 'Run pre-flight' }).click();
    await page()
      .getByRole('heading', { name: /^Pre-flight/ })
      .waitFor();

    // The exact commands are on the screen before anything runs.
    const planText = (await page().locator('.plan-steps').textContent()) ?? '';
    expect(planText).toContain('ip addr del');
    expect(planText).toMatch(acquireCommand());
    expect(planText).toContain('arping -D');
    expect(await holdersOf(lab(), lab().vips.web, ['web-a', 'web-b'])).toEqual(['web-a']);

    const start = page().getByRole('button', { name: 'Fail over now' });
    await page()
      .getByLabel(/Type the group's name/)
      .fill('wen');
    expect(await start.isDisabled()).toBe(true);
    await page()
      .getByLabel(/Type the group's name/)
      .fill('web');
    await start.click();

    const summary = page().locator('.run-summary');
    await summary.waitFor({ timeout: 30_000 });
    await screenshot(page(), 'lab-failover-done');
    const text = (await summary.textContent()) ?? '';
    expect(text).toMatch(/succeeded/i);
    expect(text).toMatch(/RTO/);

    // From outside: web-b alone holds the address, and the client reaches web-b through it.
    expect(await holdersOf(lab(), lab().vips.web, ['web-a', 'web-b'])).toEqual(['web-b']);
    const probe = await lab().probe(`http://${lab().vips.web}/`);
    expect(probe.host).toBe('web-b');
  }, 90_000);

  it('lists every command of the run in the audit log, intent before outcome, and the chain verifies', async () => {
    await openScreen(page(), 'Audit log', 'Audit log');
    const rows = page().locator('tbody tr');
    await rows.first().waitFor();
    const log = (await page().locator('table').textContent()) ?? '';
    expect(log).toContain('ip addr del');
    expect(log).toMatch(acquireCommand());
    await page().getByRole('button', { name: 'Verify the chain' }).click();
    await eventually(
      async () => expect(await page().locator('main').textContent()).toMatch(/Intact: \d+ rows verified/),
      5_000,
    );
    await screenshot(page(), 'lab-audit');
    expect(fs.existsSync(session.host.dbPath)).toBe(true);
  }, 30_000);
});

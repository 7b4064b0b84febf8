/**
 * Fail-closed pieces of the console in Debian's Chromium against `lifeboat serve`: a saved runbook
 * that no longer fits its group is marked on the Runbooks screen (what changed, how to fix it) and
 * refused on the Failover screen until it is regenerated; a pre-flight that cannot reach members
 * asks for an attestation per server, naming each one and the pre-flight it is bound to.
 * No traffic leaves loopback: the members that cannot be reached are SSH endpoints on 127.0.0.1
 * ports where nothing listens.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, openScreen, screenshot, startConsole, type ConsoleSession } from './console';
import type { Runbook } from '../../shared/runbooks';
import type { Server, ServiceGroup, Snapshot } from '../../shared/domain';

describe('fail closed in the console', () => {
  let session: ConsoleSession;
  let snapshot: Snapshot;
  const page = () => session.page;
  const web = () => snapshot.groups.find((g) => g.name === 'web')!;
  const key = () => ({ groupId: web().id, targetServerId: snapshot.servers.find((s) => s.name === 'web-b')!.id });

  beforeAll(async () => {
    session = await startConsole();
    await session.host.call('workspace.create', { template: 'example' });
    snapshot = await session.host.call<Snapshot>('workspace.snapshot', {});
    await page().goto(session.host.url);
  }, 60_000);
  afterAll(async () => {
    await session?.cleanup();
  });

  it('marks a saved runbook whose VIP changed, refuses it on the Failover screen, and takes it back once regenerated', async () => {
    const generated = await session.host.call<Runbook>('runbooks.generate', key());
    await session.host.call('runbooks.save', {
      groupId: generated.groupId,
      direction: generated.direction,
      sourceServerId: generated.sourceServerId,
      targetServerId: generated.targetServerId,
      steps: generated.steps,
    });
    await session.host.call('groups.save', { ...web(), vips: [{ ...web().vips[0], address: '192.0.2.15' }] });

    await openScreen(page(), 'Runbooks');
    await page().getByLabel('Group and target').selectOption({ label: 'web → web-b (failover)' });
    const stale = page().getByRole('alert', { name: 'stale runbook' });
    await stale.waitFor();
    const text = await stale.textContent();
    expect(text).toMatch(/Out of date: this saved runbook no longer fits the group/);
    expect(text).toMatch(/Step \d+: 192\.0\.2\.10 is not a VIP of the group \(its VIPs are now 192\.0\.2\.15\/24\)/);
    expect(text).toMatch(/start again from the generated runbook and save/);
    await screenshot(page(), 'runbook-stale');

    await openScreen(page(), 'Failover', 'Fail over');
    await page().getByLabel('Service group').selectOption({ label: 'web' });
    await page().getByLabel('Move to').selectOption({ label: 'web-b (standby)' });
    await eventually(async () =>
      expect(await page().locator('.failover-error').allTextContents()).toEqual([
        expect.stringMatching(/no longer fits the group: 192\.0\.2\.10 is not a VIP/),
      ]),
    );
    expect(await page().getByRole('button', { name: 'Fail over now' }).count()).toBe(0);

    await openScreen(page(), 'Runbooks');
    await page().getByLabel('Group and target').selectOption({ label: 'web → web-b (failover)' });
    await page().getByRole('alert', { name: 'stale runbook' }).waitFor();
    // Fixed elsewhere (regenerated and saved): the screen follows, and the mark goes.
    const fresh = await session.host.call<Runbook>('runbooks.generate', key());
    await session.host.call('runbooks.save', {
      groupId: fresh.groupId,
      direction: fresh.direction,
      sourceServerId: fresh.sourceServerId,
      targetServerId: fresh.targetServerId,
      steps: fresh.steps,
    });
    await eventually(async () => expect(await page().getByRole('alert', { name: 'stale runbook' }).count()).toBe(0));
    expect((await session.host.call<Runbook>('runbooks.get', key())).problems).toEqual([]);
  }, 60_000);

  it('asks for an attestation per member the pre-flight could not reach, naming it and the pre-flight', async () => {
    // Two members whose SSH endpoints refuse on loopback (nothing listens on ports 1 and 2), with a
    // key Lifeboat can load (without one, nothing is sent and the members are unknown, not attestable).
    const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifeboat-e2e-key-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(keyDir, 'id_ed25519')]);
    const auth = { kind: 'key', keyPath: path.join(keyDir, 'id_ed25519') };
    const member = (name: string, n: number, port: number) =>
      session.host.call<Server>('servers.save', {
        name,
        addresses: [`10.99.0.${n}`],
        ssh: { host: '127.0.0.1', port, auth },
      });
    const a = await member('lo-a', 11, 1);
    const b = await member('lo-b', 12, 2);
    await session.host.call<ServiceGroup>('groups.save', {
      name: 'lo',
      members: [
        { serverId: a.id, role: 'primary' },
        { serverId: b.id, role: 'standby' },
      ],
      vips: [
        {
          address: '10.99.0.20',
          prefix: 24,
          interfaces: [
            { serverId: a.id, interface: 'eth0' },
            { serverId: b.id, interface: 'eth0' },
          ],
        },
      ],
    });
    await openScreen(page(), 'Failover', 'Fail over');
    await eventually(async () =>
      expect(await page().getByLabel('Service group').locator('option', { hasText: 'lo' }).count()).toBeGreaterThan(0),
    );
    await page().getByLabel('Service group').selectOption({ label: 'lo' });
    await page().getByLabel('Move to').selectOption({ label: 'lo-b (standby)' });
    await page().getByRole('button', { name: 'Run pre-flight' }).click();
    const attestation = page().getByRole('group', { name: 'attestation' });
    await attestation.waitFor({ timeout: 20_000 });
    expect(await attestation.textContent()).toMatch(/bound to the pre-flight of/);
    const leaving = page().getByLabel(/^lo-a could not be reached .*it is the member being left \(required\)/);
    const other = page().getByLabel(/^lo-b could not be reached .*\(optional\)/);
    expect(await leaving.count()).toBe(1);
    expect(await other.count()).toBe(1);
    await leaving.fill('pulled the plug on lo-a myself');
    await screenshot(page(), 'failover-attestation');
    // The target cannot be reached either: the start stays closed, whatever is attested.
    expect(await page().getByRole('button', { name: 'Fail over now' }).isDisabled()).toBe(true);
    fs.rmSync(keyDir, { recursive: true, force: true });
  }, 60_000);
});

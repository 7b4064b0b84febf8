/**
 * `lab down` also cleans what the earlier lab of plain namespaces left behind (its anchors and
 * sshd in lb- namespaces, processes tagged LIFEBOAT_LAB_PROCESS, its bridge and veths, its
 * directory), so a machine that ran either lab ends up clean. Holds the lab lock throughout.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_REQUIRED, labUnavailableReason } from '../helpers/lab';
import { acquireLabLock, BRIDGE, labProcesses, netnsName, stopLab, vethName, type LabLock } from './lab';
import { isLive, run, sleep } from './proc';

const reason = labUnavailableReason();
if (reason && !LAB_REQUIRED) console.warn(`[lab] skipping the tear-down test: ${reason}`);
const DIR = '/tmp/lifeboat-lab-leftovers';

/** Start a detached process carrying the earlier lab's tag; returns its pid. */
function tagged(argv: string[]): number {
  const child = spawn(argv[0], argv.slice(1), {
    detached: true,
    stdio: 'ignore',
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LIFEBOAT_LAB_PROCESS: '1' },
  });
  child.unref();
  if (!child.pid) throw new Error(`could not start ${argv.join(' ')}`);
  return child.pid;
}

describe.skipIf(reason !== null && !LAB_REQUIRED)('lab down after the earlier lab of plain namespaces', () => {
  let lock: LabLock;
  beforeAll(async () => {
    if (reason) throw new Error(`the lab is unavailable: ${reason}`);
    lock = await acquireLabLock({ purpose: 'teardown.test', timeoutMs: 200_000 });
    await stopLab(undefined); // whatever lab is up (reentrant lock)
  }, 240_000);
  afterAll(() => lock?.release());

  it('kills its tagged processes and those in its namespaces, deletes its network and its directory', async () => {
    const ns = netnsName('pbx');
    expect((await run('/usr/sbin/ip', ['netns', 'add', ns])).code).toBe(0);
    expect((await run('/usr/sbin/ip', ['link', 'add', BRIDGE, 'type', 'bridge'])).code).toBe(0);
    expect(
      (await run('/usr/sbin/ip', ['link', 'add', vethName('pbx'), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]))
        .code,
    ).toBe(0);
    fs.mkdirSync(path.join(DIR, 'hosts', 'pbx', 'srv'), { recursive: true });
    fs.writeFileSync(path.join(DIR, '.lifeboat-lab'), 'Lifeboat lab directory: `lab down` removes it.\n');
    // The earlier lab's anchor (in the host's namespace) and a daemon it tagged (like its postgres).
    const anchor = tagged(['/usr/sbin/ip', 'netns', 'exec', ns, '/bin/sleep', '300']);
    const daemon = tagged(['/bin/sleep', '301']);
    fs.writeFileSync(path.join(DIR, 'hosts', 'pbx', 'anchor.pid'), `${anchor}\n`);
    for (let i = 0; i < 50 && !labProcesses().includes(daemon); i++) await sleep(20);
    expect(labProcesses()).toEqual(expect.arrayContaining([anchor, daemon]));

    await stopLab(DIR);
    expect(isLive(anchor)).toBe(false);
    expect(isLive(daemon)).toBe(false);
    expect(labProcesses()).toEqual([]);
    expect((await run('/usr/sbin/ip', ['netns', 'list'])).stdout).not.toMatch(/^lb-/m);
    const links = await run('/usr/sbin/ip', ['-o', 'link', 'show']);
    expect(links.stdout).not.toContain(`${BRIDGE}:`);
    expect(links.stdout).not.toContain(vethName('pbx'));
    expect(fs.existsSync(DIR)).toBe(false);
  }, 60_000);
});

/**
 * Host faults done for real: a reboot (systemd inside reboots, nspawn exits 133 and the host's
 * supervisor boots it again: the host comes back with only the address it configures itself), and
 * a power-off (systemd powers off, the supervisor ends, and the host's link goes down, since an
 * empty network namespace would still answer ping).
 */
import { bootHost, findLeader, supervisorPid } from './containers';
import { execIn } from './enter';
import { waitForHost, waitForSsh } from './bring-up';
import { isLive, sleep, waitFor } from './proc';
import { HOST_IFACE, netnsName, vethName, type HostName } from './topology';
import { Layout, ip } from './tools';

/** Ask the host's systemd to reboot or power off; the command's own connection may die with it. */
async function ask(L: Layout, host: HostName, verb: 'reboot' | 'poweroff'): Promise<void> {
  const r = await execIn(L, host, ['systemctl', '--no-block', verb], { timeoutMs: 10_000 });
  if (r.code !== 0) throw new Error(`${host}: systemctl ${verb} failed: ${(r.stderr || r.stdout).trim()}`);
}

export async function rebootHost(L: Layout, host: HostName, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const before = findLeader(host);
  if (before === null) throw new Error(`${host} is not running: nothing to reboot`);
  if (supervisorPid(L, host) === null) throw new Error(`${host} has no supervisor to boot it again`);
  await ask(L, host, 'reboot');
  await waitFor(`${host} to go down for its reboot`, () => (isLive(before) ? undefined : true), {
    timeoutMs: Math.max(1_000, deadline - Date.now()),
    intervalMs: 50,
  });
  await waitFor(`${host} to boot again`, () => (findLeader(host) !== null ? true : undefined), {
    timeoutMs: Math.max(1_000, deadline - Date.now()),
    intervalMs: 50,
  });
  await waitForSsh(host, deadline, L);
  await waitForHost(L, host, deadline);
}

export async function powerOffHost(L: Layout, host: HostName, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const leader = findLeader(host);
  if (leader !== null) {
    const supervisor = supervisorPid(L, host);
    await ask(L, host, 'poweroff');
    await waitFor(
      `${host} to power off`,
      () => (!isLive(leader) && (supervisor === null || !isLive(supervisor)) ? true : undefined),
      {
        timeoutMs: Math.max(1_000, deadline - Date.now()),
        intervalMs: 50,
      },
    );
  }
  // A powered-off machine answers nothing: its link goes down on both ends.
  await ip(['-n', netnsName(host), 'link', 'set', HOST_IFACE, 'down']);
  await ip(['link', 'set', vethName(host), 'down']);
}

export async function powerOnHost(L: Layout, host: HostName, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  if (findLeader(host) !== null) throw new Error(`${host} is already running`);
  await ip(['link', 'set', vethName(host), 'up']);
  // The host brings its own eth0 up (lab-network.service) when it boots.
  bootHost(L, host);
  await sleep(100);
  await waitForSsh(host, deadline, L);
  await waitForHost(L, host, deadline);
}

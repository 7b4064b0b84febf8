/** The lab's network in the root namespace: the bridge, one namespace and veth per host, the VIPs. */
import { run } from './proc';
import { ip, tool } from './tools';
import {
  BRIDGE,
  BRIDGE_IP,
  GROUPS,
  HOST_IFACE,
  HOSTS,
  LAB_CIDR,
  LAB_NET,
  LAB_PREFIX,
  labIp,
  netnsName,
  vethName,
} from './topology';

/** Refuse to start if anything outside the lab already uses the lab network in the root namespace. */
export async function checkRootNamespaceFree(): Promise<void> {
  const addrs = await ip(['-4', '-o', 'addr', 'show']);
  for (const line of addrs.stdout.split('\n')) {
    if (line.includes(` ${LAB_NET}.`))
      throw new Error(
        `the root namespace already has an address in ${LAB_CIDR}; refusing to start the lab: ${line.trim()}`,
      );
  }
  const routes = await ip(['-4', 'route', 'show', 'table', 'all']);
  for (const line of routes.stdout.split('\n')) {
    if (line.startsWith(`${LAB_NET}.`) || line.includes(` ${LAB_NET}.`)) {
      throw new Error(
        `the root namespace already has a route into ${LAB_CIDR}; refusing to start the lab: ${line.trim()}`,
      );
    }
  }
}

/**
 * The bridge, then per host a namespace and a veth whose inner end is eth0, in one `ip -batch`
 * (one process instead of forty). The host's own address and lo are its business: systemd and
 * lab-network.service set them at every boot; the VIPs are added once the hosts are up.
 */
export async function buildNetwork(log: (l: string) => void): Promise<void> {
  const lines = [
    `link add ${BRIDGE} type bridge stp_state 0 forward_delay 0`,
    `addr add ${BRIDGE_IP}/${LAB_PREFIX} dev ${BRIDGE}`,
    `link set ${BRIDGE} up`,
    ...HOSTS.flatMap((h) => [
      `netns add ${netnsName(h.name)}`,
      `link add ${vethName(h.name)} type veth peer name ${HOST_IFACE} netns ${netnsName(h.name)}`,
      `link set ${vethName(h.name)} master ${BRIDGE} up`,
    ]),
  ];
  const r = await run(tool('ip'), ['-batch', '-'], { input: lines.join('\n') + '\n', timeoutMs: 20_000 });
  if (r.code !== 0) throw new Error(`building the lab network failed: ${(r.stderr || r.stdout).trim()}`);
  log(`network: ${BRIDGE} ${BRIDGE_IP}/${LAB_PREFIX}, ${HOSTS.length} namespaces`);
}

/** Each VIP on its primary (at bring-up only: like any address added at runtime, a reboot forgets it). */
export async function addVips(): Promise<void> {
  await Promise.all(
    GROUPS.map((g) =>
      ip(['-n', netnsName(g.primary), 'addr', 'add', `${labIp(g.vip)}/${LAB_PREFIX}`, 'dev', HOST_IFACE]),
    ),
  );
}

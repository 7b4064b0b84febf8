/** The lab's network in the root namespace: the bridge, one namespace and veth per host, the VIPs. */
import { ip } from './tools';
import { BRIDGE, BRIDGE_IP, GROUPS, HOST_IFACE, HOSTS, LAB_CIDR, LAB_NET, LAB_PREFIX, labIp, netnsName, vethName } from './topology';

/** Refuse to start if anything outside the lab already uses the lab network in the root namespace. */
export async function checkRootNamespaceFree(): Promise<void> {
  const addrs = await ip(['-4', '-o', 'addr', 'show']);
  for (const line of addrs.stdout.split('\n')) {
    if (line.includes(` ${LAB_NET}.`)) throw new Error(`the root namespace already has an address in ${LAB_CIDR}; refusing to start the lab: ${line.trim()}`);
  }
  const routes = await ip(['-4', 'route', 'show', 'table', 'all']);
  for (const line of routes.stdout.split('\n')) {
    if (line.startsWith(`${LAB_NET}.`) || line.includes(` ${LAB_NET}.`)) {
      throw new Error(`the root namespace already has a route into ${LAB_CIDR}; refusing to start the lab: ${line.trim()}`);
    }
  }
}

export async function buildNetwork(log: (l: string) => void): Promise<void> {
  await ip(['link', 'add', BRIDGE, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0']);
  await ip(['addr', 'add', `${BRIDGE_IP}/${LAB_PREFIX}`, 'dev', BRIDGE]);
  await ip(['link', 'set', BRIDGE, 'up']);
  await Promise.all(
    HOSTS.map(async (h) => {
      const ns = netnsName(h.name);
      const veth = vethName(h.name);
      await ip(['netns', 'add', ns]);
      await ip(['link', 'add', veth, 'type', 'veth', 'peer', 'name', HOST_IFACE, 'netns', ns]);
      await ip(['link', 'set', veth, 'master', BRIDGE, 'up']);
      // The host's own address is its business (lab-network.service at every boot); the VIPs are added once it is up.
      await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
    }),
  );
  log(`network: ${BRIDGE} ${BRIDGE_IP}/${LAB_PREFIX}, ${HOSTS.length} namespaces`);
}

/** Each VIP on its primary (at bring-up only: like any address added at runtime, a reboot forgets it). */
export async function addVips(): Promise<void> {
  await Promise.all(GROUPS.map((g) => ip(['-n', netnsName(g.primary), 'addr', 'add', `${labIp(g.vip)}/${LAB_PREFIX}`, 'dev', HOST_IFACE])));
}

/**
 * The lab: the example company as real Debian hosts on this machine (docs/architecture.md).
 *
 * One bridge `lbbr0` (10.77.0.254/24) in the root namespace; one network namespace `lb-<host>` per
 * server, joined to the bridge by a veth whose inner end is `eth0`. In each namespace a
 * systemd-nspawn container boots Debian bookworm with systemd as PID 1, from one read-only root
 * (built once with debootstrap and cached in /var/cache/lifeboat-lab) under the host's own overlay
 * layer. The hosts run Debian's own units: ssh everywhere, nginx and crm on web-a/web-b,
 * postgresql@15-main on db-a (primary) and db-b (streaming standby), fileshare on files-a/files-b
 * (files-a has a few files in /srv/files), gateway on the gw pair, pbx on pbx. `exec()` enters a
 * host's container with nsenter, so it works even when the host's sshd is stopped.
 *
 * No traffic leaves the machine: the namespaces have no default route, and nothing here connects to
 * a lab address from the root namespace unless the route to it goes through lbbr0.
 *
 * Imports only node: modules (and this directory), so it bundles into dist/lab.cjs. This file is
 * the lab's public face; the work is in root, containers, host-files, network, bring-up, enter,
 * power, inspect and teardown.
 */
export * from './topology';
export { acquireLabLock, labLockPath, lockWaiters, holdsLabLock, type LabLock } from './lock';
export type { RunResult } from './proc';
export type {
  ExecOptions,
  ExecResult,
  Lab,
  LabGroup,
  LabHealth,
  LabHost,
  LabInfo,
  LabPostgres,
  ProbeResult,
  StartLabOptions,
  StopLabOptions,
} from './types';
export { defaultLabDir, labAvailable, pgBinDir } from './tools';
export { startLab } from './bring-up';
export { labHealth, openLab } from './inspect';
export { labMounts, labProcesses, stopLab } from './teardown';
export { cgroupRoots, labCgroupDirs, CGROUP_NAME } from './containers';
export { cachedRoot, ensureRoot, recipeHash, rootDir } from './root';

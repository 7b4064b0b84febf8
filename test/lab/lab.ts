/**
 * The lab: the example company as real hosts on this machine (DESIGN.md, "The lab").
 *
 * One bridge `lbbr0` (10.77.0.254/24) in the root namespace; one network namespace `lb-<host>` per
 * server, joined to the bridge by a veth whose inner end is `eth0`. In each namespace a launcher
 * makes a private mount and UTS namespace (hostname = server name, private /srv, private
 * /run/postgresql, the lab's /etc/hosts), starts that host's own sshd, then stays as the host's
 * "anchor" (`sleep infinity`), so `exec()` can enter the host even after a test kills its sshd.
 * web-a/web-b answer HTTP on port 80 with their name; db-a is a PostgreSQL 15 primary and db-b a
 * hot standby streaming from it; files-a has a few files in /srv/files.
 *
 * No traffic leaves the machine: the namespaces have no default route, and nothing here connects to
 * a lab address from the root namespace unless the route to it goes through lbbr0.
 *
 * Imports only node: modules (and this directory), so it bundles into dist/lab.cjs. This file is
 * the lab's public face; the work is in types, tools, host-files, enter, bring-up, inspect, teardown.
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
export { labProcesses, stopLab } from './teardown';

/**
 * Bringing the lab up: the shared Debian root (built once, cached), each host's own layer, the
 * network, the containers booted, then the wait until every host answers SSH, runs its units, the
 * web hosts answer HTTP and db-b streams from db-a.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bootHost, consoleLog } from './containers';
import { execIn, psqlValue } from './enter';
import { etcHosts, writeHostLayer } from './host-files';
import { inspect, makeLab, readInfo } from './inspect';
import { acquireLabLock } from './lock';
import { addVips, buildNetwork, checkRootNamespaceFree } from './network';
import { runOk, waitFor } from './proc';
import { ensureRoot } from './root';
import { teardown } from './teardown';
import {
  BRIDGE,
  BRIDGE_IP,
  GROUPS,
  HOST_IFACE,
  HOST_NAMES,
  HOST_UNITS,
  HOSTS,
  LAB_CIDR,
  LAB_PREFIX,
  labIp,
  netnsName,
  PG,
  type GroupName,
  type HostName,
} from './topology';
import {
  Layout,
  fingerprint,
  hostIp,
  httpGetRoot,
  labAvailable,
  layout,
  readBanner,
  resolveDir,
  routesViaBridge,
  tail,
  tool,
  writeAtomic,
  TAGGED_ENV,
} from './tools';
import { Lab, LabGroup, LabHost, LabInfo, StartLabOptions } from './types';

/** The lab directory, the lab key, each host's key and layer, and its empty mount point. */
export async function prepareFiles(L: Layout, base: string): Promise<void> {
  fs.mkdirSync(L.dir, { recursive: true, mode: 0o755 });
  fs.chmodSync(L.dir, 0o755);
  fs.writeFileSync(L.marker, 'Lifeboat lab directory: `lab down` removes it.\n');
  fs.mkdirSync(L.keysDir, { mode: 0o700 });
  fs.mkdirSync(path.join(L.dir, 'hosts'), { mode: 0o755 });
  const keygen = (file: string, comment: string) =>
    runOk(tool('ssh-keygen'), ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], {
      timeoutMs: 20_000,
      env: { ...TAGGED_ENV },
    });
  const jobs: Promise<unknown>[] = [keygen(L.keyPath, 'lifeboat-lab')];
  for (const h of HOSTS) {
    for (const d of [L.hostDir(h.name), L.upperDir(h.name), L.workDir(h.name), L.rootfs(h.name)])
      fs.mkdirSync(d, { recursive: true, mode: 0o755 });
    jobs.push(keygen(path.join(L.hostDir(h.name), 'ssh_host_ed25519_key'), `root@${h.name}`));
  }
  fs.writeFileSync(L.etcHosts, etcHosts());
  await Promise.all(jobs);
  const authorized = fs.readFileSync(`${L.keyPath}.pub`, 'utf8');
  fs.writeFileSync(L.authorizedKeys, authorized);
  const known: string[] = [];
  for (const h of HOSTS) {
    const key = path.join(L.hostDir(h.name), 'ssh_host_ed25519_key');
    writeHostLayer(L, base, h.name, {
      hostKey: fs.readFileSync(key),
      hostKeyPub: fs.readFileSync(`${key}.pub`),
      authorized,
    });
    known.push(`${labIp(h.n)} ${fs.readFileSync(`${key}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ')}`);
  }
  // Written once, before the hosts boot: they see it through a bind mount (a rename would hide a new copy from them).
  fs.writeFileSync(L.knownHosts, known.join('\n') + '\n', { mode: 0o644 });
}

/** Each host's root: the shared root, read-only, under the host's own upper layer. */
export async function mountHost(L: Layout, base: string, host: HostName): Promise<void> {
  await runOk(
    tool('mount'),
    [
      '-t',
      'overlay',
      `lab-${host}`,
      '-o',
      `lowerdir=${base},upperdir=${L.upperDir(host)},workdir=${L.workDir(host)}`,
      L.rootfs(host),
    ],
    { timeoutMs: 10_000 },
  );
}

/** Until the host answers SSH on its own address (its sshd runs after lab-network has set that address). */
export async function waitForSsh(host: HostName, deadline: number, L?: Layout): Promise<void> {
  const address = hostIp(host);
  await waitFor(
    `${host}: SSH banner on ${address}:22`,
    async () => {
      if (!(await routesViaBridge(address))) throw new Error(`${address} is not routed via ${BRIDGE}; not connecting`);
      return (await readBanner(address, 22, 1_000))?.startsWith('SSH-2.0-') ? true : undefined;
    },
    { timeoutMs: Math.max(1_000, deadline - Date.now()), intervalMs: 100 },
  ).catch((error: unknown) => {
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}${L ? `\n${tail(consoleLog(L, host), 10)}` : ''}`,
    );
  });
}

/** Until every unit of the host is active (read inside the host with systemctl). */
export async function waitForUnits(L: Layout, host: HostName, deadline: number): Promise<void> {
  const units = HOST_UNITS[host];
  if (!units.length) return;
  let last = '';
  await waitFor(
    `${host}: ${units.join(', ')} active`,
    async () => {
      const r = await execIn(L, host, ['systemctl', 'is-active', '--', ...units], { timeoutMs: 5_000 });
      last = r.stdout.trim().replace(/\n/g, ' ');
      return r.code === 0 ? true : undefined;
    },
    { timeoutMs: Math.max(1_000, deadline - Date.now()), intervalMs: 150 },
  ).catch(async (error: unknown) => {
    const journal = await execIn(
      L,
      host,
      ['journalctl', '--no-pager', '-n', '15', ...units.flatMap((u) => ['-u', u])],
      { timeoutMs: 5_000 },
    );
    throw new Error(`${error instanceof Error ? error.message : String(error)} (${last})\n${journal.stdout.trim()}`);
  });
}

export async function waitForWeb(host: HostName, deadline: number): Promise<void> {
  const address = hostIp(host);
  await waitFor(
    `${host}: HTTP on ${address}:80`,
    async () => {
      if (!(await routesViaBridge(address))) throw new Error(`${address} is not routed via ${BRIDGE}; not connecting`);
      return (await httpGetRoot(address, 80, 2_000))?.body.trim() === host ? true : undefined;
    },
    { timeoutMs: Math.max(1_000, deadline - Date.now()), intervalMs: 100 },
  );
}

export async function waitForStreaming(L: Layout, deadline: number): Promise<void> {
  await waitFor(
    'db-b streaming from db-a',
    async () => {
      const sent = await psqlValue(
        L,
        PG.binDir,
        'db-a',
        "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'",
      );
      const recv = await psqlValue(L, PG.binDir, 'db-b', 'SELECT status FROM pg_stat_wal_receiver');
      return sent === '1' && recv === 'streaming' ? true : undefined;
    },
    { timeoutMs: Math.max(1_000, deadline - Date.now()), intervalMs: 150 },
  );
}

/** Wait until a booted host is fully up: SSH, its units, and what its units serve. */
export async function waitForHost(L: Layout, host: HostName, deadline: number): Promise<void> {
  await waitForSsh(host, deadline, L);
  await waitForUnits(L, host, deadline);
  if (HOST_UNITS[host].includes('nginx')) await waitForWeb(host, deadline);
}

export function buildInfo(L: Layout, origin: string, startupMs: number, rootfs: string): LabInfo {
  const hosts = {} as Record<HostName, LabHost>;
  for (const h of HOSTS) {
    const hostKey = fs
      .readFileSync(path.join(L.hostDir(h.name), 'ssh_host_ed25519_key.pub'), 'utf8')
      .trim()
      .split(/\s+/)
      .slice(0, 2)
      .join(' ');
    hosts[h.name] = {
      name: h.name,
      ip: labIp(h.n),
      port: 22,
      sshPort: 22,
      user: 'root',
      keyPath: L.keyPath,
      hostKeyFingerprint: fingerprint(hostKey),
      hostKey,
      namespace: netnsName(h.name),
      interface: HOST_IFACE,
      group: h.group,
      role: h.role,
      sshdConfig: '/etc/ssh/sshd_config',
      sshdPidFile: '/run/sshd.pid',
      units: [...HOST_UNITS[h.name]],
    };
  }
  const vips = {} as Record<GroupName, string>;
  const groups = {} as Record<GroupName, LabGroup>;
  for (const g of GROUPS) {
    vips[g.name] = labIp(g.vip);
    groups[g.name] = {
      name: g.name,
      vip: labIp(g.vip),
      prefix: LAB_PREFIX,
      interface: HOST_IFACE,
      primary: g.primary,
      standby: g.standby,
      members: [g.primary, g.standby],
    };
  }
  return {
    version: 1,
    state: 'up',
    dir: L.dir,
    labJsonPath: L.labJson,
    createdAt: new Date().toISOString(),
    origin,
    startupMs,
    network: { cidr: LAB_CIDR, bridge: BRIDGE, bridgeIp: BRIDGE_IP },
    user: 'root',
    keyPath: L.keyPath,
    knownHostsPath: L.knownHosts,
    hosts,
    vips,
    groups,
    root: rootfs,
    postgres: {
      bin: PG.binDir,
      port: PG.port,
      version: PG.version,
      cluster: PG.cluster,
      unit: PG.unit,
      dataDir: PG.dataDir,
      configDir: PG.configDir,
      logFile: PG.logFile,
      osUser: PG.osUser,
      superuser: PG.superuser,
      replicationUser: PG.replicationUser,
      database: PG.database,
      primary: 'db-a',
      standby: 'db-b',
    },
  };
}

export function diagnostics(L: Layout): string {
  const parts: string[] = [];
  for (const h of HOST_NAMES) {
    const t = tail(consoleLog(L, h), 8);
    if (t) parts.push(`--- ${h} console\n${t}`);
  }
  return parts.length ? `\n${parts.join('\n')}` : '';
}

/**
 * Start the lab (cleaning up whatever a previous, possibly crashed, lab left first), wait until
 * every host answers SSH and runs its units, both web hosts answer HTTP and db-b streams from db-a,
 * and write lab.json. Builds the Debian root first when it is not cached (not counted in the
 * bring-up time nor bounded by its timeout: it has its own bound).
 */
export async function startLab(opts: StartLabOptions = {}): Promise<Lab> {
  const available = labAvailable();
  if (!available.ok) throw new Error(`the lab cannot run here: ${available.reason}`);
  const dir = resolveDir(opts.dir);
  const L = layout(dir);
  const log = opts.log ?? (() => {});
  const lock = await acquireLabLock({
    purpose: `startLab (${opts.origin ?? 'api'})`,
    timeoutMs: opts.lockTimeoutMs ?? 240_000,
  });
  try {
    if (opts.reuse) {
      const health = await inspect(L);
      if (health.ok) {
        log(`reusing the running lab in ${dir}`);
        return makeLab(readInfo(L)!, true);
      }
      if (fs.existsSync(L.labJson)) log(`not reusing the lab in ${dir}: ${health.problems.join('; ')}`);
    }
    await teardown(L, log);
    const base = await ensureRoot({ log });
    const started = Date.now();
    const deadline = started + (opts.timeoutMs ?? 90_000);
    try {
      await checkRootNamespaceFree();
      await prepareFiles(L, base);
      log(`files, keys and host layers in ${dir} (${Date.now() - started} ms)`);
      await buildNetwork(log);
      await Promise.all(HOST_NAMES.map((h) => mountHost(L, base, h)));
      for (const h of HOST_NAMES) bootHost(L, h);
      log(`booting ${HOST_NAMES.length} hosts from ${base} (${Date.now() - started} ms)`);
      await Promise.all(HOST_NAMES.map((h) => waitForSsh(h, deadline, L)));
      await addVips();
      log(`SSH up on ${HOST_NAMES.length} hosts, VIPs on the primaries (${Date.now() - started} ms)`);
      await Promise.all([...HOST_NAMES.map((h) => waitForHost(L, h, deadline)), waitForStreaming(L, deadline)]);
      log(`every unit active, web answering, db-b streaming (${Date.now() - started} ms)`);
      const info = buildInfo(L, opts.origin ?? 'api', Date.now() - started, base);
      writeAtomic(L.labJson, JSON.stringify(info, null, 2) + '\n');
      log(`lab up in ${(info.startupMs / 1000).toFixed(1)} s`);
      return makeLab(info, false);
    } catch (error) {
      const message = `lab bring-up failed: ${error instanceof Error ? error.message : String(error)}${diagnostics(L)}`;
      if (!opts.keepOnFailure) {
        try {
          await teardown(L, log);
        } catch (cleanupError) {
          throw new Error(
            `${message}\n(and cleaning up failed: ${cleanupError instanceof Error ? cleanupError.message : String(cleanupError)})`,
          );
        }
      }
      throw new Error(message);
    }
  } finally {
    lock.release();
  }
}

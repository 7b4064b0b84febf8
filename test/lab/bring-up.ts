/** Bringing the lab up: files, network, hosts, web servers, PostgreSQL primary and streaming standby. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { acquireLabLock } from './lock';
import { isLive, readPidFile, runOk, waitFor } from './proc';
import { BRIDGE, BRIDGE_IP, GROUPS, HOST_IFACE, HOST_NAMES, HOSTS, LAB_CIDR, LAB_NET, LAB_PREFIX, labIp, netnsName, PG, SEED_FILES, vethName, type GroupName, type HostName } from './topology';
import { execIn, psqlValue, spawnIn } from './enter';
import { HTTPD_PY, LAUNCHER_SH, etcHosts, sshdConfig } from './host-files';
import { inspect, makeLab, readInfo } from './inspect';
import { teardown } from './teardown';
import { Layout, PG_PRIMARY, PROCESS_TAG_NAME, fingerprint, hostIp, httpGetRoot, ip, labAvailable, layout, osUser, pgBinDir, readBanner, resolveDir, routesViaBridge, tail, tool, writeAtomic, TAGGED_ENV } from './tools';
import { Lab, LabGroup, LabHost, LabInfo, StartLabOptions } from './types';
export async function prepareFiles(L: Layout, pgUser: { uid: number; gid: number }): Promise<void> {
  fs.mkdirSync(L.dir, { recursive: true, mode: 0o755 });
  fs.chmodSync(L.dir, 0o755);
  fs.writeFileSync(L.marker, 'Lifeboat lab directory: `lab down` removes it.\n');
  fs.mkdirSync(L.keysDir, { mode: 0o700 });
  fs.mkdirSync(path.join(L.dir, 'hosts'), { mode: 0o755 });
  const keygen = (file: string, comment: string) =>
    runOk(tool('ssh-keygen'), ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], { timeoutMs: 20_000, env: { ...TAGGED_ENV } });
  const jobs: Promise<unknown>[] = [keygen(L.keyPath, 'lifeboat-lab')];
  for (const h of HOSTS) {
    const hd = L.hostDir(h.name);
    fs.mkdirSync(path.join(hd, 'srv'), { recursive: true, mode: 0o755 });
    fs.mkdirSync(path.join(hd, 'run-postgresql'), { mode: 0o2775 });
    fs.chownSync(path.join(hd, 'run-postgresql'), pgUser.uid, pgUser.gid);
    fs.chmodSync(path.join(hd, 'run-postgresql'), 0o2775);
    fs.writeFileSync(path.join(hd, 'srv', 'lab-host'), `${h.name}\n`);
    fs.writeFileSync(path.join(hd, 'sshd_config'), sshdConfig(L, h.name));
    jobs.push(keygen(path.join(hd, 'ssh_host_ed25519_key'), `${h.name}@lifeboat-lab`));
  }
  for (const g of GROUPS.filter((g) => g.name === 'files')) {
    const files = path.join(L.hostDir(g.primary), 'srv', 'files');
    for (const [rel, content] of Object.entries(SEED_FILES)) {
      fs.mkdirSync(path.dirname(path.join(files, rel)), { recursive: true });
      fs.writeFileSync(path.join(files, rel), content);
    }
    fs.mkdirSync(path.join(L.hostDir(g.standby), 'srv', 'files'), { recursive: true });
  }
  for (const host of ['db-a', 'db-b'] as const) {
    const srv = path.join(L.hostDir(host), 'srv');
    fs.mkdirSync(path.join(srv, 'pgdata'), { mode: 0o700 });
    fs.chownSync(path.join(srv, 'pgdata'), pgUser.uid, pgUser.gid);
    fs.writeFileSync(path.join(srv, 'postgresql.log'), '', { mode: 0o640 });
    fs.chownSync(path.join(srv, 'postgresql.log'), pgUser.uid, pgUser.gid);
  }
  fs.writeFileSync(L.etcHosts, etcHosts());
  fs.writeFileSync(L.httpdPy, HTTPD_PY);
  await Promise.all(jobs);
  fs.writeFileSync(L.authorizedKeys, fs.readFileSync(`${L.keyPath}.pub`, 'utf8'));
}

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
      await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
      await ip(['-n', ns, 'addr', 'add', `${labIp(h.n)}/${LAB_PREFIX}`, 'dev', HOST_IFACE]);
      const group = GROUPS.find((g) => g.primary === h.name);
      if (group) await ip(['-n', ns, 'addr', 'add', `${labIp(group.vip)}/${LAB_PREFIX}`, 'dev', HOST_IFACE]);
      await ip(['-n', ns, 'link', 'set', HOST_IFACE, 'up']);
    }),
  );
  log(`network: ${BRIDGE} ${BRIDGE_IP}/${LAB_PREFIX}, ${HOSTS.length} namespaces`);
}

export function launchHost(L: Layout, host: HostName): void {
  const hd = L.hostDir(host);
  const fd = fs.openSync(path.join(hd, 'launcher.log'), 'a', 0o644);
  try {
    const child = spawn(
      tool('ip'),
      ['netns', 'exec', netnsName(host), tool('unshare'), '--mount', '--uts', '--propagation', 'private', '--', tool('sh'), '-c', LAUNCHER_SH, 'lab-launcher', host, hd, L.etcHosts, tool('sshd')],
      { cwd: '/', env: { ...TAGGED_ENV }, stdio: ['ignore', fd, fd], detached: true },
    );
    child.on('error', () => {});
    child.unref();
  } finally {
    fs.closeSync(fd);
  }
}

export async function waitForHost(L: Layout, host: HostName, deadline: number): Promise<void> {
  const hd = L.hostDir(host);
  const address = hostIp(host);
  await waitFor(
    `${host}: anchor and sshd`,
    () => {
      const a = readPidFile(path.join(hd, 'anchor.pid'));
      const s = readPidFile(path.join(hd, 'sshd.pid'));
      if (a && s && isLive(a) && isLive(s)) return true;
      if (a && !isLive(a)) throw new Error(`launcher exited: ${tail(path.join(hd, 'launcher.log'), 5)}`);
      return undefined;
    },
    { timeoutMs: Math.max(1_000, deadline - Date.now()), intervalMs: 50 },
  );
  if (!(await routesViaBridge(address))) throw new Error(`${host}: ${address} is not routed via ${BRIDGE}; not connecting`);
  await waitFor(
    `${host}: SSH banner on ${address}:22`,
    async () => ((await readBanner(address, 22, 2_000))?.startsWith('SSH-2.0-') ? true : undefined),
    { timeoutMs: Math.max(1_000, deadline - Date.now()), intervalMs: 100 },
  );
}

export async function startWeb(L: Layout, host: HostName, deadline: number): Promise<void> {
  const hd = L.hostDir(host);
  const address = hostIp(host);
  spawnIn(L, host, [tool('python3'), L.httpdPy, host, path.join(hd, 'httpd.pid')], path.join(hd, 'httpd.log'));
  if (!(await routesViaBridge(address))) throw new Error(`${host}: ${address} is not routed via ${BRIDGE}; not connecting`);
  await waitFor(
    `${host}: HTTP on ${address}:80`,
    async () => ((await httpGetRoot(address, 80, 2_000))?.body.trim() === host ? true : undefined),
    { timeoutMs: Math.max(1_000, deadline - Date.now()), intervalMs: 100 },
  );
}

export async function initPrimaryData(L: Layout, pgBin: string): Promise<void> {
  const data = path.join(L.hostDir('db-a'), 'srv', 'pgdata');
  await runOk(
    tool('runuser'),
    ['-u', PG.osUser, '--', path.join(pgBin, 'initdb'), '-D', data, '-U', PG.superuser, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
    { timeoutMs: 60_000, env: { ...TAGGED_ENV } },
  );
  fs.appendFileSync(
    path.join(data, 'postgresql.conf'),
    [
      '',
      '# Lifeboat lab',
      "listen_addresses = '*'",
      `port = ${PG.port}`,
      'max_connections = 40',
      'shared_buffers = 16MB',
      'wal_level = replica',
      'max_wal_senders = 8',
      'wal_keep_size = 128MB',
      'hot_standby = on',
      'hot_standby_feedback = on',
      'wal_receiver_status_interval = 1s',
      "log_destination = 'stderr'",
      'logging_collector = off',
      "log_line_prefix = '%m [%p] '",
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(data, 'pg_hba.conf'),
    [
      '# Lifeboat lab: trust on the loopback and the lab network only.',
      'local   all          all                  trust',
      'local   replication  all                  trust',
      'host    all          all   127.0.0.1/32   trust',
      'host    replication  all   127.0.0.1/32   trust',
      `host    all          all   ${LAB_CIDR}   trust`,
      `host    replication  all   ${LAB_CIDR}   trust`,
      '',
    ].join('\n'),
  );
}

export async function pgCtl(L: Layout, pgBin: string, host: HostName, action: 'start'): Promise<void> {
  const r = await execIn(
    L,
    host,
    ['runuser', '-u', PG.osUser, '--', path.join(pgBin, 'pg_ctl'), '-D', PG.dataDir, '-l', PG.logFile, '-w', '-t', '60', action],
    { timeoutMs: 70_000, env: { [PROCESS_TAG_NAME]: '1' } },
  );
  if (r.code !== 0) throw new Error(`pg_ctl ${action} on ${host} failed: ${(r.stderr || r.stdout).trim()}\n${tail(path.join(L.hostDir(host), 'srv', 'postgresql.log'))}`);
}

export async function startDatabases(L: Layout, pgBin: string, initdb: Promise<void>, deadline: number, log: (l: string) => void): Promise<void> {
  await initdb;
  await pgCtl(L, pgBin, 'db-a', 'start');
  await psqlValue(L, pgBin, 'db-a', `CREATE ROLE ${PG.replicationUser} WITH REPLICATION LOGIN; CREATE DATABASE ${PG.database};`);
  const base = await execIn(
    L,
    'db-b',
    [
      'runuser', '-u', PG.osUser, '--', path.join(pgBin, 'pg_basebackup'),
      '-d', `host=${hostIp(PG_PRIMARY)} port=${PG.port} user=${PG.replicationUser} application_name=db-b`,
      '-D', PG.dataDir, '-R', '-X', 'stream', '-c', 'fast', '--no-sync',
    ],
    { timeoutMs: 60_000, env: { [PROCESS_TAG_NAME]: '1' } },
  );
  if (base.code !== 0) throw new Error(`pg_basebackup on db-b failed: ${(base.stderr || base.stdout).trim()}`);
  await pgCtl(L, pgBin, 'db-b', 'start');
  await waitFor(
    'db-b streaming from db-a',
    async () => {
      const sent = await psqlValue(L, pgBin, 'db-a', "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'");
      const recv = await psqlValue(L, pgBin, 'db-b', 'SELECT status FROM pg_stat_wal_receiver');
      return sent === '1' && recv === 'streaming' ? true : undefined;
    },
    { timeoutMs: Math.max(1_000, deadline - Date.now()), intervalMs: 200 },
  );
  log('postgres: db-a primary, db-b streaming');
}

export function buildInfo(L: Layout, origin: string, startupMs: number, pgBin: string): LabInfo {
  const hosts = {} as Record<HostName, LabHost>;
  for (const h of HOSTS) {
    const hostKey = fs.readFileSync(path.join(L.hostDir(h.name), 'ssh_host_ed25519_key.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
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
      sshdConfig: path.join(L.hostDir(h.name), 'sshd_config'),
      sshdPidFile: path.join(L.hostDir(h.name), 'sshd.pid'),
    };
  }
  const vips = {} as Record<GroupName, string>;
  const groups = {} as Record<GroupName, LabGroup>;
  for (const g of GROUPS) {
    vips[g.name] = labIp(g.vip);
    groups[g.name] = { name: g.name, vip: labIp(g.vip), prefix: LAB_PREFIX, interface: HOST_IFACE, primary: g.primary, standby: g.standby, members: [g.primary, g.standby] };
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
    postgres: {
      bin: pgBin,
      port: PG.port,
      dataDir: PG.dataDir,
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
    const hd = L.hostDir(h);
    for (const f of ['launcher.log', 'sshd.log', 'httpd.log', 'srv/postgresql.log']) {
      const t = tail(path.join(hd, f), 8);
      if (t) parts.push(`--- ${h}/${f}\n${t}`);
    }
  }
  return parts.length ? `\n${parts.join('\n')}` : '';
}

/**
 * Start the lab (cleaning up whatever a previous, possibly crashed, lab left first), wait until
 * every sshd answers, both web servers answer and db-b streams from db-a, and write lab.json.
 */
export async function startLab(opts: StartLabOptions = {}): Promise<Lab> {
  const available = labAvailable();
  if (!available.ok) throw new Error(`the lab cannot run here: ${available.reason}`);
  const dir = resolveDir(opts.dir);
  const L = layout(dir);
  const log = opts.log ?? (() => {});
  const lock = await acquireLabLock({ purpose: `startLab (${opts.origin ?? 'api'})`, timeoutMs: opts.lockTimeoutMs ?? 240_000 });
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
    const started = Date.now();
    const deadline = started + (opts.timeoutMs ?? 90_000);
    const pgBin = pgBinDir()!;
    const pgUser = osUser(PG.osUser)!;
    try {
      await checkRootNamespaceFree();
      await prepareFiles(L, pgUser);
      const initdb = initPrimaryData(L, pgBin);
      initdb.catch(() => {}); // awaited below; avoid an unhandled rejection if the network fails first
      log(`files and keys in ${dir} (${Date.now() - started} ms)`);
      fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
      await buildNetwork(log);
      for (const h of HOST_NAMES) launchHost(L, h);
      await Promise.all(HOST_NAMES.map((h) => waitForHost(L, h, deadline)));
      log(`sshd up on ${HOST_NAMES.length} hosts (${Date.now() - started} ms)`);
      await Promise.all([startWeb(L, 'web-a', deadline), startWeb(L, 'web-b', deadline), startDatabases(L, pgBin, initdb, deadline, log)]);
      const info = buildInfo(L, opts.origin ?? 'api', Date.now() - started, pgBin);
      writeAtomic(L.knownHosts, HOST_NAMES.map((h) => `${info.hosts[h].ip} ${info.hosts[h].hostKey}`).join('\n') + '\n');
      writeAtomic(L.labJson, JSON.stringify(info, null, 2) + '\n');
      log(`lab up in ${(info.startupMs / 1000).toFixed(1)} s`);
      return makeLab(info, false);
    } catch (error) {
      const message = `lab bring-up failed: ${error instanceof Error ? error.message : String(error)}${diagnostics(L)}`;
      if (!opts.keepOnFailure) {
        try {
          await teardown(L, log);
        } catch (cleanupError) {
          throw new Error(`${message}\n(and cleaning up failed: ${cleanupError instanceof Error ? cleanupError.message : String(cleanupError)})`);
        }
      }
      throw new Error(message);
    }
  } finally {
    lock.release();
  }
}

/** Attaching to a running lab and judging its health. */
import fs from 'node:fs';
import { run, HOST_ENV } from './proc';
import {
  BRIDGE,
  BRIDGE_IP,
  HOST_IFACE,
  HOST_NAMES,
  HOST_UNITS,
  isLabAddress,
  LAB_PREFIX,
  labIp,
  netnsName,
  PG,
  GROUPS,
  LAB_CIDR,
} from './topology';
import { leaderPid, listInHost, outerPid, readInHost } from './containers';
import { execIn, psqlIn, psqlValue, sshArgsFor } from './enter';
import { powerOffHost, powerOnHost, rebootHost } from './power';
import { PROBE_PY } from './host-files';
import { stopLab } from './teardown';
import { Layout, httpGetRoot, layout, readBanner, resolveDir, routesViaBridge, tool } from './tools';
import { Lab, LabHealth, LabInfo } from './types';
export function readInfo(L: Layout): LabInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(L.labJson, 'utf8')) as LabInfo;
    if (info.version !== 1 || info.state !== 'up' || info.dir !== L.dir) return null;
    return info;
  } catch {
    return null;
  }
}

/** The lab described by lab.json in `dir`, without checking it (see health()), or null if there is none. */
export function openLab(dir?: string): Lab | null {
  const info = readInfo(layout(resolveDir(dir)));
  return info ? makeLab(info, true) : null;
}

/** Whether the lab in `dir` is up, healthy and pristine (every unit active, each VIP on its primary only, db-b streaming). */
export async function labHealth(dir?: string): Promise<LabHealth> {
  return inspect(layout(resolveDir(dir)));
}

export async function inspect(L: Layout): Promise<LabHealth> {
  const problems: string[] = [];
  const info = readInfo(L);
  if (!info) return { ok: false, problems: [`no lab.json in ${L.dir}`] };
  const br = await run(tool('ip'), ['-4', '-o', 'addr', 'show', 'dev', BRIDGE], { timeoutMs: 5_000 });
  if (br.code !== 0 || !br.stdout.includes(` ${BRIDGE_IP}/${LAB_PREFIX} `))
    return { ok: false, problems: [`${BRIDGE} with ${BRIDGE_IP}/${LAB_PREFIX} is missing`] };
  await Promise.all(
    HOST_NAMES.map(async (h) => {
      const host = info.hosts[h];
      try {
        leaderPid(h);
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
        return;
      }
      if (!(await routesViaBridge(host.ip))) {
        problems.push(`${h}: ${host.ip} not routed via ${BRIDGE}`);
        return;
      }
      const banner = await readBanner(host.ip, host.port, 3_000);
      if (!banner?.startsWith('SSH-2.0-')) problems.push(`${h}: no SSH banner on ${host.ip}:${host.port}`);
      // A failover's on-host lock left behind (a killed run, a test that broke off) makes the host not pristine.
      const locks = listInHost(h, '/run/lifeboat');
      if (locks.length) problems.push(`${h}: on-host locks left in /run/lifeboat (${locks.join(', ')})`);
    }),
  );
  if (problems.length) return { ok: false, problems };
  await Promise.all([
    ...GROUPS.map(async (g) => {
      for (const member of [g.primary, g.standby]) {
        const r = await run(tool('ip'), ['-n', netnsName(member), '-4', '-o', 'addr', 'show', 'dev', HOST_IFACE], {
          timeoutMs: 5_000,
        });
        const has = new RegExp(` ${labIp(g.vip).replace(/\./g, '\\.')}/`).test(r.stdout);
        if (member === g.primary && !has) problems.push(`${g.name} VIP ${labIp(g.vip)} is not on ${member}`);
        if (member !== g.primary && has) problems.push(`${g.name} VIP ${labIp(g.vip)} is on ${member}`);
      }
    }),
    ...HOST_NAMES.filter((h) => HOST_UNITS[h].length).map(async (h) => {
      const r = await execIn(L, h, ['systemctl', 'is-active', '--', ...HOST_UNITS[h]], { timeoutMs: 5_000 });
      if (r.code !== 0)
        problems.push(
          `${h}: not every unit is active (${HOST_UNITS[h].join(', ')}: ${r.stdout.trim().replace(/\n/g, ', ')})`,
        );
    }),
    ...(['web-a', 'web-b'] as const).map(async (h) => {
      const answer = await httpGetRoot(info.hosts[h].ip, 80, 3_000);
      if (answer?.status !== 200 || answer.body.trim() !== h)
        problems.push(`${h}: HTTP on port 80 does not answer with its name`);
    }),
    (async () => {
      try {
        const a = await psqlValue(
          L,
          info.postgres.bin,
          'db-a',
          "SELECT pg_is_in_recovery()::text || ' ' || (SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming')",
        );
        if (a !== 'false 1') problems.push(`db-a is not a primary with one streaming standby (${a})`);
        const b = await psqlValue(
          L,
          info.postgres.bin,
          'db-b',
          "SELECT pg_is_in_recovery()::text || ' ' || coalesce((SELECT status FROM pg_stat_wal_receiver), 'none')",
        );
        if (b !== 'true streaming') problems.push(`db-b is not a streaming standby (${b})`);
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    })(),
  ]);
  return { ok: problems.length === 0, problems };
}

export function makeLab(info: LabInfo, reused: boolean): Lab {
  const L = layout(info.dir);
  return {
    ...info,
    reused,
    exec: (host, cmd, opts) => execIn(L, host, cmd, opts),
    sshArgs: (host) => sshArgsFor(info, host),
    async ssh(host, script, opts = {}) {
      const h = info.hosts[host];
      if (!h) throw new Error(`not a lab host: ${JSON.stringify(host)}`);
      if (!(await routesViaBridge(h.ip)))
        throw new Error(`${host}: ${h.ip} is not routed via ${BRIDGE} (is the lab up?); not connecting`);
      return run(tool('ssh'), [...sshArgsFor(info, host), '--', 'env LC_ALL=C /bin/sh -s'], {
        input: script,
        timeoutMs: opts.timeoutMs ?? 30_000,
        env: { ...HOST_ENV },
      });
    },
    psql: (host, sql, opts = {}) =>
      psqlIn(L, info.postgres.bin, host, sql, opts.database ?? PG.superuser, opts.timeoutMs),
    async probe(url, opts = {}) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new Error(`probe: not a URL: ${JSON.stringify(url)}`);
      }
      if (parsed.protocol !== 'http:' || !isLabAddress(parsed.hostname))
        throw new Error(`probe: only http:// URLs on lab addresses (${LAB_CIDR}): ${JSON.stringify(url)}`);
      const timeoutMs = opts.timeoutMs ?? 3_000;
      const r = await run(
        tool('ip'),
        ['netns', 'exec', netnsName('client'), tool('python3'), '-c', PROBE_PY, parsed.href, String(timeoutMs / 1000)],
        {
          timeoutMs: timeoutMs + 5_000,
        },
      );
      try {
        const j = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as {
          status: number;
          body: string;
          error: string | null;
        };
        return { ok: j.status === 200, status: j.status, body: j.body, host: j.body.trim(), error: j.error };
      } catch {
        return {
          ok: false,
          status: 0,
          body: '',
          host: '',
          error: `probe did not run: ${(r.stderr || r.stdout).trim() || `exit ${r.code}`}`,
        };
      }
    },
    health: () => inspect(L),
    reboot: (host, opts = {}) => rebootHost(L, host, opts.timeoutMs),
    powerOff: (host, opts = {}) => powerOffHost(L, host, opts.timeoutMs),
    powerOn: (host, opts = {}) => powerOnHost(L, host, opts.timeoutMs),
    outerPid: (host, innerPid) => outerPid(host, innerPid),
    readFile: (host, file) => readInHost(host, file),
    stop: () => stopLab(info.dir),
  };
}

/**
 * The SSH engine against the lab's real hosts (OpenSSH sshd in network namespaces): pin each
 * host's key through the hosts.* methods, run a command on each, and sweep them all over the
 * persistent-shell path. Skips with the reason where the lab cannot run; fails under
 * LIFEBOAT_REQUIRE_LAB=1.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { endpointForServer, type Endpoint } from '../../../electron/ssh/endpoint';
import { exec } from '../../../electron/ssh/exec';
import { createSshRuntime, type SshRuntime } from '../../../electron/ssh/runtime';
import type { HostKeyPin, HostKeyScan } from '../../../shared/contract/hosts';
import { describeLab } from '../../helpers/lab';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';

describeLab('the SSH engine against the lab', (lab) => {
  let ws: TempWorkspace;
  const servers = new Map<string, number>();
  const endpoints = () => [...servers.values()].map((id) => endpointForServer(ws.db, id));
  // One runtime for the direct pool and session tests, reading the pins the hosts.* methods keep.
  let runtime: SshRuntime | undefined;
  const sshRuntime = () => (runtime ??= createSshRuntime(ws.db));

  beforeAll(async () => {
    ws = openTempWorkspace();
    for (const host of Object.values(lab().hosts)) {
      const saved = await ws.ok<{ id: number }>('servers.save', {
        name: host.name,
        addresses: [host.ip],
        ssh: { host: host.ip, port: host.port, user: host.user, auth: { kind: 'key', keyPath: host.keyPath } },
      });
      servers.set(host.name, saved.id);
    }
  });
  afterAll(() => {
    if (!ws) return;
    runtime?.dispose();
    ws.cleanup();
  });

  it('scans each host key, finds it equal to the lab known_hosts, and pins it', async () => {
    for (const host of Object.values(lab().hosts)) {
      const serverId = servers.get(host.name) as number;
      const scan = await ws.ok<HostKeyScan>('hosts.scanKey', { serverId });
      expect(scan, host.name).toMatchObject({
        status: 'new',
        keyType: host.hostKey.split(' ')[0],
        fingerprint: host.hostKeyFingerprint,
      });
      const pin = await ws.ok<HostKeyPin>('hosts.trust', {
        serverId,
        keyType: scan.keyType,
        fingerprint: scan.fingerprint,
      });
      expect(pin.publicKey).toBe(host.hostKey.split(' ')[1]);
    }
    expect(await ws.ok<HostKeyPin[]>('hosts.pins')).toHaveLength(servers.size);
  });

  it('runs hostname on each host through one pooled connection per host', async () => {
    const { pool } = sshRuntime();
    const names = await Promise.all(
      endpoints().map(async (endpoint) =>
        (await exec(await pool.acquire(endpoint), 'hostname', { timeoutMs: 10_000 })).stdout.trim(),
      ),
    );
    expect(names.sort()).toEqual(Object.keys(lab().hosts).sort());
    expect(pool.size).toBe(servers.size);
  });

  it('refuses a lab host whose pin does not match, before logging in', async () => {
    const { pool } = sshRuntime();
    const [first] = Object.values(lab().hosts);
    const wrongPort: Endpoint = { ...endpointForServer(ws.db, servers.get(first.name) as number) };
    ws.db
      .prepare('UPDATE host_key_pins SET fingerprint_sha256 = ? WHERE host = ?')
      .run('SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', first.ip);
    pool.evict(wrongPort);
    await expect(pool.acquire(wrongPort)).rejects.toMatchObject({
      problem: 'host_key_changed',
      presentedFingerprint: first.hostKeyFingerprint,
    });
    ws.db
      .prepare('UPDATE host_key_pins SET fingerprint_sha256 = ? WHERE host = ?')
      .run(first.hostKeyFingerprint, first.ip);
    expect((await pool.acquire(wrongPort)).isOpen).toBe(true);
  });

  it('sweeps every host with five checks each over persistent shells (prints cold and warm times)', async () => {
    const { sessions } = sshRuntime();
    const checks = [
      'cat /proc/loadavg',
      'df -P /',
      'test -d /srv && echo srv',
      'cat /proc/meminfo | head -n 3',
      'hostname',
    ];
    const sweep = async () => {
      const started = performance.now();
      const perHost = await Promise.all(
        endpoints().map((endpoint) => sessions.runBatch(endpoint, checks, { timeoutMs: 10_000 })),
      );
      return { ms: performance.now() - started, perHost };
    };
    const cold = await sweep();
    for (const results of cold.perHost) {
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    }
    const warm: number[] = [];
    for (let i = 0; i < 10; i++) warm.push((await sweep()).ms);
    warm.sort((a, b) => a - b);
    console.log(
      `lab sweep of ${servers.size} hosts x ${checks.length} checks over persistent shells: cold ${cold.ms.toFixed(1)} ms, ` +
        `warm median ${warm[5].toFixed(1)} ms (best ${warm[0].toFixed(1)} ms)`,
    );
    const hostnames = (await sweep()).perHost.map((r) =>
      (r[4] as PromiseFulfilledResult<{ stdout: string }>).value.stdout.trim(),
    );
    expect(hostnames.sort()).toEqual(Object.keys(lab().hosts).sort());
  });
});

/**
 * The real check scripts, run in a local `env LC_ALL=C /bin/sh -s` as the SSH engine runs them
 * remotely: proves they parse, that the output reads back, and that hostile values stay data.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planCheck } from '../../../electron/checks/plan';
import { sweep } from '../../../electron/checks/sweep';
import { parseChecksums } from '../../../electron/checks/drift';
import type { CheckDraft } from '../../../shared/checks';
import { tempDir } from '../../helpers/workspace';
import { check, loopbackInventory } from './fixtures';
import { LocalShellRunner } from './runners';

const inv = loopbackInventory();
const runner = new LocalShellRunner();

async function run(draft: CheckDraft) {
  const planned = planCheck(check({ timeoutSeconds: 10, ...draft }), inv);
  expect(planned.problem).toBeNull();
  const report = await sweep([planned], runner);
  return report.runs[0].evaluation;
}

let dir: string;
beforeAll(() => {
  dir = tempDir('lifeboat-checks-');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('check scripts in a real shell', () => {
  it('disk reads df for a path, even one with a quote and spaces in its name', async () => {
    const odd = path.join(dir, "it's a dir");
    fs.mkdirSync(odd);
    const result = await run({
      kind: 'disk',
      name: 'disk',
      serverId: 1,
      params: { path: odd, warnPercent: 100, failPercent: 100 },
    });
    expect(result.status).toBe('ok');
    expect(typeof result.metrics.usedPercent).toBe('number');
  });

  it('a hostile path is data, not shell: nothing is executed', async () => {
    const marker = path.join(dir, 'pwned');
    const result = await run({
      kind: 'disk',
      name: 'disk',
      serverId: 1,
      params: { path: `/nonexistent/$(touch ${marker})\`touch ${marker}\`;touch ${marker}` },
    });
    expect(result.status).toBe('unknown');
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('load and memory read numbers', async () => {
    const load = await run({
      kind: 'load',
      name: 'load',
      serverId: 1,
      params: { warnPerCore: 1000, failPerCore: 1000 },
    });
    expect(load.status).toBe('ok');
    expect(load.metrics.cpus).toBeGreaterThan(0);
    const memory = await run({
      kind: 'memory',
      name: 'mem',
      serverId: 1,
      params: { warnPercent: 100, failPercent: 100 },
    });
    expect(memory.status).toBe('ok');
    expect(memory.metrics.totalGb).toBeGreaterThan(0);
  });

  it('service finds a process by its exact name, and not one that does not run', async () => {
    const sleeper = spawn('sleep', ['30']);
    try {
      await new Promise((r) => setTimeout(r, 100));
      expect(
        (await run({ kind: 'service', name: 's', serverId: 1, params: { unit: 'sleep', manager: 'process' } })).status,
      ).toBe('ok');
      const missing = await run({
        kind: 'service',
        name: 's',
        serverId: 1,
        params: { unit: 'lifeboat-nothing', manager: 'process' },
      });
      expect(missing.status).toBe('fail');
    } finally {
      sleeper.kill();
    }
  });

  it('freshness reads the newest file under a path on the host clock', async () => {
    const data = path.join(dir, 'data');
    fs.mkdirSync(path.join(data, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(data, 'old.txt'), 'old');
    fs.writeFileSync(path.join(data, 'sub', 'new.txt'), 'new');
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    fs.utimesSync(path.join(data, 'old.txt'), new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
    fs.utimesSync(path.join(data, 'sub', 'new.txt'), tenMinutesAgo, tenMinutesAgo);
    const result = await run({ kind: 'freshness', name: 'f', serverId: 1, params: { path: data, maxAgeMinutes: 5 } });
    expect(result.status).toBe('fail');
    expect(result.metrics).toMatchObject({ files: 2 });
    expect(Number(result.metrics.ageMinutes)).toBeCloseTo(10, 0);
    const file = await run({
      kind: 'freshness',
      name: 'f',
      serverId: 1,
      params: { path: path.join(data, 'old.txt'), mode: 'file', maxAgeMinutes: 120 },
    });
    expect(file.status).toBe('ok');
    expect(
      (await run({ kind: 'freshness', name: 'f', serverId: 1, params: { path: path.join(dir, 'absent') } })).summary,
    ).toContain('does not exist');
  });

  it('drift hashes every file under the listed paths', async () => {
    const conf = path.join(dir, 'conf');
    fs.mkdirSync(conf);
    fs.writeFileSync(path.join(conf, 'a.conf'), 'alpha\n');
    fs.writeFileSync(path.join(conf, "b c'd.conf"), 'beta\n');
    const planned = planCheck(
      check({ kind: 'drift', name: 'd', groupId: 10, params: { paths: [conf, path.join(dir, 'nothing')] } }),
      inv,
    );
    const outcome = await runner.run(inv.servers.get(1)!, planned.scripts[0], { timeoutMs: 10_000 });
    expect(outcome.kind).toBe('ok');
    const parsed = parseChecksums(outcome.kind === 'ok' ? outcome.result.stdout : '');
    expect(parsed.sums.get(path.join(conf, 'a.conf'))).toBe(createHash('sha256').update('alpha\n').digest('hex'));
    expect(parsed.sums.size).toBe(2);
    expect(parsed.missing).toEqual([path.join(dir, 'nothing')]);
    const result = (await sweep([planned], runner)).runs[0].evaluation;
    expect(result.metrics.differingCount).toBe(0);
  });

  it('vip reads `ip -o addr show`: 127.0.0.1 on both "members" is two holders', async () => {
    const result = await run({ kind: 'vip', name: 'v', groupId: 10, params: {} });
    expect(result.status).toBe('fail');
    expect(result.summary).toContain('two holders');
  });

  it('postgres reports psql failing as unknown, not as a role', async () => {
    const result = await run({ kind: 'postgres', name: 'pg', groupId: 10, params: {} });
    expect(result.status).toBe('unknown');
  });

  it('tcp tells an open port from a closed one', async () => {
    const listener = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as net.AddressInfo).port;
    try {
      expect((await run({ kind: 'tcp', name: 't', serverId: 1, params: { host: '127.0.0.1', port } })).status).toBe(
        'ok',
      );
    } finally {
      await new Promise((r) => listener.close(r));
    }
    expect((await run({ kind: 'tcp', name: 't', serverId: 1, params: { host: '127.0.0.1', port } })).status).toBe(
      'fail',
    );
  });

  it('http checks the status and the body text', async () => {
    const web = http.createServer((req, res) => {
      res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'text/plain' });
      res.end(req.url === '/health' ? 'Northwind CRM ok\n' : 'not here\n');
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    const port = (web.address() as net.AddressInfo).port;
    try {
      const good = await run({
        kind: 'http',
        name: 'h',
        serverId: 1,
        params: { url: `http://127.0.0.1:${port}/health`, bodyContains: 'Northwind' },
      });
      expect(good.status).toBe('ok');
      expect(good.metrics.httpStatus).toBe(200);
      const missing = await run({
        kind: 'http',
        name: 'h',
        serverId: 1,
        params: { url: `http://127.0.0.1:${port}/missing?x='1'` },
      });
      expect(missing.summary).toContain('answered 404, expected 200');
    } finally {
      await new Promise((r) => web.close(r));
    }
  });
});

/** The pre-flight reads what the health checks last said about the member failed over to. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failoverFixture, type FailoverFixture } from './fixture';
import { insertResults } from '../../../electron/db/repositories/checks';
import type { Check } from '../../../shared/checks';
import type { Preflight } from '../../../shared/contract/failover';

let f: FailoverFixture;
beforeEach(async () => {
  f = await failoverFixture();
});
afterEach(() => f.ws.cleanup());

const preflight = () =>
  f.ws.ok<Preflight>('failover.preflight', { groupId: f.groups.web.id, targetServerId: f.servers['web-b'].id });
const targetHealth = async () => (await preflight()).checks.find((c) => c.name === 'target health');

describe('pre-flight: the health of the target', () => {
  it('warns when no health check watches it', async () => {
    expect(await targetHealth()).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/no health check watches web-b/),
    });
  });

  it('names the checks of the target that are not OK, and is OK when all are', async () => {
    const ssh = await f.ws.ok<Check>('checks.save', {
      kind: 'ssh',
      name: 'web-b: SSH',
      serverId: f.servers['web-b'].id,
      params: {},
    });
    const disk = await f.ws.ok<Check>('checks.save', {
      kind: 'disk',
      name: 'web-b: disk /',
      serverId: f.servers['web-b'].id,
      params: { path: '/' },
    });
    const now = Date.now();
    const result = (checkId: number, status: 'ok' | 'fail', summary: string) => ({
      checkId,
      at: now,
      status,
      observed: status,
      summary,
      metrics: {},
      durationMs: 3,
    });
    insertResults(f.ws.db, [result(ssh.id, 'ok', 'answered in 4 ms'), result(disk.id, 'fail', '/ is 97% full')]);
    const warned = await targetHealth();
    expect(warned).toMatchObject({ status: 'warn' });
    expect(warned?.detail).toContain('1 of 2 checks of web-b are not OK: web-b: disk /: / is 97% full');
    insertResults(
      f.ws.db,
      [result(disk.id, 'ok', '/ is 40% full')].map((r) => ({ ...r, at: now + 1 })),
    );
    expect(await targetHealth()).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/^2 checks of web-b OK/),
    });
  });
});

import { describe, expect, it } from 'vitest';
import { postgresRebuild } from '../../../electron/failover/actions/postgres-rebuild';
import { postgresStreaming } from '../../../electron/failover/actions/postgres-streaming';
import { PostgresRebuildParams, PostgresStreamingParams } from '../../../shared/runbooks';
import { changes, DB_B, scriptedEnv } from './reprotect-env';

const rebuild = (method: 'auto' | 'basebackup' = 'auto') =>
  PostgresRebuildParams.parse({
    dataDir: '/srv/pgdata',
    database: 'crm',
    primaryServerId: DB_B,
    vipAddress: '10.77.0.20',
    control: { kind: 'service', unit: 'postgresql@15-main' },
    method,
  });
const streaming = (deadlineSeconds = 3) =>
  PostgresStreamingParams.parse({
    dataDir: '/srv/pgdata',
    database: 'crm',
    primaryServerId: DB_B,
    deadlineSeconds,
    intervalSeconds: 1,
  });
const ran = (calls: { script: string }[], tool: string) => calls.some((c) => c.script.includes(tool));

describe('postgres.rebuild', () => {
  it('rewinds with pg_rewind when wal_log_hints is on, then writes the standby settings and starts in recovery', async () => {
    const s = scriptedEnv();
    const result = await postgresRebuild.execute(rebuild(), s.env);
    expect(result.status).toBe('succeeded');
    expect(result.message).toMatch(/db-a rebuilt from db-b with pg_rewind and started in recovery/);
    expect(ran(s.calls, 'pg_rewind')).toBe(true);
    expect(ran(s.calls, 'pg_basebackup')).toBe(false);
    const config = s.calls.find((c) => c.script.includes('standby.signal'))!;
    expect(config.script).toContain(
      "primary_conninfo = '\\''host=10.77.0.22 port=5432 user=replicator application_name=db-a'\\''",
    );
    // The order: the stop before the rewind, the rewind before the settings, the start last.
    const order = ['systemctl stop', 'pg_rewind', 'standby.signal', 'systemctl start'].map((t) =>
      s.calls.findIndex((c) => c.script.includes(t)),
    );
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('says why and copies with pg_basebackup when data checksums and wal_log_hints are both off', async () => {
    const s = scriptedEnv({
      controldata: () => ({
        stdout: `lifeboat: cluster 15\nlifeboat: bin /b\nlifeboat: pg_ctl status 3\n--- lifeboat: begin controldata\nData page checksum version:           0\nwal_log_hints setting:                off\n\n--- lifeboat: end controldata 0`,
      }),
    });
    const result = await postgresRebuild.execute(rebuild(), s.env);
    expect(result.status).toBe('succeeded');
    expect(s.info.join('\n')).toMatch(
      /data checksums and wal_log_hints are both off on db-a: pg_rewind cannot be used/,
    );
    expect(ran(s.calls, 'pg_rewind')).toBe(false);
    expect(result.message).toMatch(/with pg_basebackup .*kept at \/srv\/pgdata\.lifeboat-/);
  });

  it('falls back to pg_basebackup when pg_rewind fails, and says so', async () => {
    const s = scriptedEnv({ rewind: () => ({ stdout: 'pg_rewind: error: could not find common ancestor', code: 94 }) });
    const result = await postgresRebuild.execute(rebuild(), s.env);
    expect(result.status).toBe('succeeded');
    expect(result.message).toMatch(/with pg_basebackup/);
    expect(s.info.join('\n')).toMatch(/pg_rewind failed \(exit 94\): .*common ancestor.*Falling back to pg_basebackup/);
  });

  it('stops with a clear failure when pg_rewind and then pg_basebackup fail, and never starts PostgreSQL', async () => {
    const s = scriptedEnv({
      rewind: () => ({ stdout: 'pg_rewind: error: connection refused', code: 94 }),
      basebackup: () => ({
        stdout:
          'pg_basebackup: error: connection refused\nlifeboat: pg_basebackup failed: the old data directory is back in place',
        code: 93,
      }),
    });
    await expect(postgresRebuild.execute(rebuild(), s.env)).rejects.toMatchObject({
      result: { status: 'failed', message: expect.stringMatching(/pg_basebackup from db-b failed \(exit 93\)/) },
    });
    expect(ran(s.calls, 'systemctl start')).toBe(false);
    expect(ran(s.calls, 'standby.signal')).toBe(false);
  });

  it('refuses, changing nothing, when the primary now does not hold the VIP', async () => {
    const s = scriptedEnv({
      addresses: (host) => ({ stdout: `2: eth0    inet 10.77.0.${host === 'db-a' ? 21 : 22}/24 scope global eth0` }),
    });
    const result = await postgresRebuild.execute(rebuild(), s.env);
    expect(result.status).toBe('refused');
    expect(result.message).toMatch(/db-b \(the primary now\) does not hold 10.77.0.20/);
    expect(changes(s.calls)).toEqual([]);
  });

  it('refuses when the primary now is in recovery: there is nothing to rebuild from', async () => {
    const s = scriptedEnv({
      primary: () => ({
        stdout:
          'lifeboat: cluster 15\nlifeboat: bin /b\n--- lifeboat: begin primary\ntrue|on\n\n--- lifeboat: end primary 0',
      }),
    });
    const result = await postgresRebuild.execute(rebuild(), s.env);
    expect(result.status).toBe('refused');
    expect(changes(s.calls)).toEqual([]);
  });

  it('an unreadable pg_controldata is not "rewind allowed": it copies with pg_basebackup and says why', async () => {
    const s = scriptedEnv({
      controldata: () => ({
        stdout:
          'lifeboat: cluster 15\nlifeboat: bin /b\nlifeboat: pg_ctl status 3\n--- lifeboat: begin controldata\nsh: pg_controldata: not found',
      }),
    });
    const result = await postgresRebuild.execute(rebuild(), s.env);
    expect(result.status).toBe('succeeded');
    expect(s.info.join('\n')).toMatch(/whether pg_rewind may be used is unknown/);
    expect(ran(s.calls, 'pg_rewind')).toBe(false);
  });

  it('a stop that is not proven (pg_ctl status 4) is indeterminate: nothing is rewound or copied', async () => {
    const s = scriptedEnv({
      stop: () => ({ stdout: 'lifeboat: cluster 15\nlifeboat: bin /b\nlifeboat: pg_ctl status 4' }),
    });
    await expect(postgresRebuild.execute(rebuild(), s.env)).rejects.toMatchObject({
      result: { status: 'indeterminate' },
    });
    expect(ran(s.calls, 'pg_rewind') || ran(s.calls, 'pg_basebackup')).toBe(false);
  });

  it('a standby that starts out of recovery is two primaries: failed with an alarm', async () => {
    const s = scriptedEnv({
      receiver: () => ({
        stdout:
          'lifeboat: cluster 15\nlifeboat: bin /b\n--- lifeboat: begin receiver\nrecovery|false\n\n--- lifeboat: end receiver 0',
      }),
    });
    await expect(postgresRebuild.execute(rebuild(), s.env)).rejects.toMatchObject({
      result: { status: 'failed', alarm: expect.stringMatching(/TWO PRIMARIES/) },
    });
  });

  it('lists every command it may run, pg_rewind and pg_basebackup both, before anything runs', () => {
    const s = scriptedEnv();
    const commands = postgresRebuild.commands(rebuild(), s.env);
    expect(commands.map((c) => c.host)).toContain('db-b');
    expect(commands.some((c) => c.script.includes('pg_rewind'))).toBe(true);
    expect(commands.some((c) => c.script.includes("pg_basebackup\" -h '10.77.0.22' -p '5432' -U 'replicator'"))).toBe(
      true,
    );
  });
});

describe('postgres.streaming', () => {
  it('succeeds only when both ends say streaming', async () => {
    const s = scriptedEnv();
    const result = await postgresStreaming.execute(streaming(), s.env);
    expect(result.status).toBe('succeeded');
    expect(result.message).toMatch(/db-a streams from db-b \(proven at both ends/);
    expect(changes(s.calls)).toEqual([]);
  });

  it('streaming never reached by the deadline is a failure, not ok', async () => {
    const s = scriptedEnv({
      receiver: () => ({
        stdout:
          'lifeboat: cluster 15\nlifeboat: bin /b\n--- lifeboat: begin receiver\nrecovery|true\nreceiver|waiting|10.77.0.22\n\n--- lifeboat: end receiver 0',
      }),
    });
    let now = Date.now();
    s.env.sleep = async (ms) => void (now += ms);
    const realNow = Date.now;
    Date.now = () => now;
    try {
      const result = await postgresStreaming.execute(streaming(3), s.env);
      expect(result.status).toBe('failed');
      expect(result.message).toMatch(/did not reach streaming from db-b .*WAL receiver waiting/);
    } finally {
      Date.now = realNow;
    }
  });

  it('a primary that lists no sender for it is not streaming, whatever the standby says', async () => {
    const s = scriptedEnv({
      senders: () => ({
        stdout: 'lifeboat: cluster 15\nlifeboat: bin /b\n--- lifeboat: begin senders\n\n\n--- lifeboat: end senders 0',
      }),
    });
    const result = await postgresStreaming.execute(streaming(1), s.env);
    expect(result.status).toBe('failed');
    expect(result.message).toMatch(/no WAL sender for db-a/);
  });

  it('reads that never prove themselves leave it unknown (indeterminate), not streaming and not failed', async () => {
    const s = scriptedEnv({
      senders: () => ({ kind: 'indeterminate', reason: 'timeout', detail: 'no answer in 10 s' }) as never,
    });
    const result = await postgresStreaming.execute(streaming(1), s.env);
    expect(result.status).toBe('indeterminate');
    expect(result.message).toMatch(/unknown/);
  });

  it('a "standby" out of recovery is a primary: failed at once', async () => {
    const s = scriptedEnv({
      receiver: () => ({
        stdout:
          'lifeboat: cluster 15\nlifeboat: bin /b\n--- lifeboat: begin receiver\nrecovery|false\n\n--- lifeboat: end receiver 0',
      }),
    });
    await expect(postgresStreaming.execute(streaming(), s.env)).rejects.toMatchObject({ result: { status: 'failed' } });
  });
});

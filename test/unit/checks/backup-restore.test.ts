/**
 * The backup and restore-test kinds, their real scripts in a local shell: a fresh backup passes, an
 * old, empty or missing one fails; a restore test passes on a good archive and fails on a corrupted
 * one; fake PostgreSQL tools play pg_restore that succeeds, fails, or restores other row counts.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planCheck } from '../../../electron/checks/plan';
import { sweep } from '../../../electron/checks/sweep';
import { CheckDraft } from '../../../shared/checks';
import { tempDir } from '../../helpers/workspace';
import { check, loopbackInventory } from './fixtures';
import { LocalShellRunner, fakeToolsDir } from './runners';

const inv = loopbackInventory();
const runner = new LocalShellRunner();
const tools = fakeToolsDir('lifeboat-pgtools-');

async function run(draft: CheckDraft) {
  const planned = planCheck(check({ timeoutSeconds: 20, ...draft }), inv);
  expect(planned.problem).toBeNull();
  return (await sweep([planned], runner)).runs[0].evaluation;
}

let dir: string;
beforeAll(() => {
  dir = tempDir('lifeboat-backups-');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('backup check', () => {
  const backup = (params: Record<string, unknown>) =>
    run({ kind: 'backup', name: 'b', serverId: 1, params } as CheckDraft);

  it('passes on a fresh backup and reports the newest file', async () => {
    const where = path.join(dir, 'backups');
    fs.mkdirSync(where);
    fs.writeFileSync(path.join(where, 'old.tar.gz'), 'x'.repeat(100));
    fs.utimesSync(
      path.join(where, 'old.tar.gz'),
      new Date(Date.now() - 90 * 3600_000),
      new Date(Date.now() - 90 * 3600_000),
    );
    fs.writeFileSync(path.join(where, 'new.tar.gz'), 'y'.repeat(50));
    const result = await backup({ path: where });
    expect(result.status).toBe('ok');
    expect(result.metrics.newest).toBe('new.tar.gz');
    expect(result.metrics.bytes).toBe(50);
  });

  it('fails on an old, empty or missing backup', async () => {
    const where = path.join(dir, 'stale');
    fs.mkdirSync(where);
    fs.writeFileSync(path.join(where, 'a.dump'), 'z');
    const old = new Date(Date.now() - 30 * 3600_000);
    fs.utimesSync(path.join(where, 'a.dump'), old, old);
    expect((await backup({ path: where })).status).toBe('fail');
    fs.writeFileSync(path.join(where, 'b.dump'), '');
    expect((await backup({ path: where })).summary).toMatch(/0 bytes/);
    expect((await backup({ path: path.join(dir, 'absent') })).summary).toMatch(/no backup/);
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    expect((await backup({ path: empty })).summary).toMatch(/holds no file/);
  });
});

describe('restore test (file)', () => {
  const restore = (params: Record<string, unknown>) =>
    run({ kind: 'restore', name: 'r', serverId: 1, params } as CheckDraft);
  let live = '';
  let archives = '';
  beforeAll(() => {
    live = path.join(dir, 'share');
    archives = path.join(dir, 'archives');
    fs.mkdirSync(live);
    fs.mkdirSync(archives);
    fs.writeFileSync(path.join(live, 'README.txt'), 'the office handbook\n'.repeat(200));
    const old = new Date(Date.now() - 3600_000);
    fs.utimesSync(path.join(live, 'README.txt'), old, old);
    execFileSync('tar', ['-czf', path.join(archives, 'share.tar.gz'), '-C', live, '.']);
  });

  it('passes when the restored sample matches the live file', async () => {
    const result = await restore({
      backupPath: archives,
      sample: './README.txt',
      compareWith: path.join(live, 'README.txt'),
    });
    expect(result.status, result.summary).toBe('ok');
    expect(result.metrics.passed).toBe(1);
  });

  it('fails on a corrupted archive, or one that lacks the sample', async () => {
    const bad = path.join(dir, 'corrupt');
    fs.mkdirSync(bad);
    const bytes = fs.readFileSync(path.join(archives, 'share.tar.gz'));
    for (let i = 20; i < bytes.length - 10; i += 7) bytes[i] ^= 0xff;
    fs.writeFileSync(path.join(bad, 'share.tar.gz'), bytes);
    const corrupt = await restore({
      backupPath: bad,
      sample: './README.txt',
      compareWith: path.join(live, 'README.txt'),
    });
    expect(corrupt.status).toBe('fail');
    expect(corrupt.summary).toMatch(/damaged/);
    const lacking = await restore({
      backupPath: archives,
      sample: './NOPE.txt',
      compareWith: path.join(live, 'README.txt'),
    });
    expect(lacking.status).toBe('fail');
  });

  it('fails when the restored sample differs from an unchanged live file, warns when the live file changed since', async () => {
    const other = path.join(dir, 'other');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'README.txt'), 'something else\n');
    const arch = path.join(dir, 'other-archives');
    fs.mkdirSync(arch);
    execFileSync('tar', ['-czf', path.join(arch, 'o.tar.gz'), '-C', other, '.']);
    const result = await restore({
      backupPath: arch,
      sample: './README.txt',
      compareWith: path.join(live, 'README.txt'),
    });
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/corrupt/);
    fs.utimesSync(path.join(live, 'README.txt'), new Date(), new Date(Date.now() + 60_000));
    expect(
      (await restore({ backupPath: arch, sample: './README.txt', compareWith: path.join(live, 'README.txt') })).status,
    ).toBe('warn');
  });

  it('refuses a sample that climbs out or a file test without its live file', () => {
    expect(
      CheckDraft.safeParse({
        kind: 'restore',
        name: 'r',
        serverId: 1,
        params: { backupPath: '/b', sample: '../etc/passwd', compareWith: '/x' },
      }).success,
    ).toBe(false);
    expect(
      CheckDraft.safeParse({
        kind: 'restore',
        name: 'r',
        serverId: 1,
        params: { backupPath: '/b', sample: '-rf', compareWith: '/x' },
      }).success,
    ).toBe(false);
    expect(
      CheckDraft.safeParse({ kind: 'restore', name: 'r', serverId: 1, params: { backupPath: '/b', sample: 'a' } })
        .success,
    ).toBe(false);
    expect(
      CheckDraft.safeParse({
        kind: 'restore',
        name: 'r',
        serverId: 1,
        params: { method: 'postgres', backupPath: '/b' },
      }).success,
    ).toBe(false);
  });
});

describe('restore test (postgres, fake tools)', () => {
  const restore = () =>
    run({
      kind: 'restore',
      name: 'r',
      serverId: 1,
      params: {
        method: 'postgres',
        backupPath: path.join(dir, 'crm.dump'),
        database: 'crm',
        tables: ['calls', 'public.customers'],
      },
    } as CheckDraft);
  beforeAll(() => {
    const bin = tools.dir();
    const write = (name: string, text: string) => fs.writeFileSync(path.join(bin, name), text, { mode: 0o755 });
    // runuser runs the command as is; psql answers counts from $FAKE_COUNTS_<db>; pg_restore fails on "corrupt".
    write('runuser', '#!/bin/sh\nwhile [ "$1" != "--" ]; do shift; done; shift; exec "$@"\n');
    write('createdb', '#!/bin/sh\nexit 0\n');
    write('dropdb', '#!/bin/sh\nexit 0\n');
    write(
      'pg_restore',
      '#!/bin/sh\nif grep -q corrupt; then echo "pg_restore: error: could not read input file" >&2; exit 1; fi\nexit 0\n',
    );
    write(
      'psql',
      '#!/bin/sh\ndb=""; while [ $# -gt 0 ]; do [ "$1" = -d ] && db=$2; shift; done\nif [ "$db" = lifeboat_restore_test ]; then echo "${FAKE_RESTORED:-7}"; else echo 7; fi\n',
    );
  });

  it('passes when pg_restore succeeds and the row counts match', async () => {
    tools.usePath(`${tools.dir()}:${process.env.PATH}`);
    fs.writeFileSync(path.join(dir, 'crm.dump'), 'PGDMP good');
    const result = await restore();
    expect(result.status, JSON.stringify(result)).toBe('ok');
  });

  it('fails when pg_restore fails, warns when the counts differ', async () => {
    tools.usePath(`${tools.dir()}:${process.env.PATH}`);
    fs.writeFileSync(path.join(dir, 'crm.dump'), 'PGDMP corrupt');
    const failed = await restore();
    expect(failed.status).toBe('fail');
    expect(failed.summary).toMatch(/could not read input file/);
    fs.writeFileSync(path.join(dir, 'crm.dump'), 'PGDMP good');
    process.env.FAKE_RESTORED = '5';
    try {
      const differs = await restore();
      expect(differs.status).toBe('warn');
      expect(differs.summary).toMatch(/calls: 5 restored, 7 live/);
    } finally {
      delete process.env.FAKE_RESTORED;
    }
  });
});

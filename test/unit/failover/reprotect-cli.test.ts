/**
 * `lifeboat reprotect` with fake hosts, through the dispatcher: the dry run prints the plan, the
 * pre-flight and the overwrite list and changes nothing; a run answers the halt on that list only
 * when --acknowledge-overwrites names the same count and sha256, and otherwise asks (no answer:
 * abort), copying nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli';
import { acknowledgesQuestion, registerReprotectCommands } from '../../../electron/cli/reprotect';
import { cliEnv } from './cli-env';
import { startConfirmed } from './confirmed';
import { failoverFixture, type FailoverFixture } from './fixture';

let f: FailoverFixture;
let out: string[];
const io = { out: (t: string) => void out.push(t), err: (t: string) => void out.push(t) };
const run = (...args: string[]) => main(['--db', f.ws.file, ...args], io, { runner: f.fake });
const ITEMIZED = '*deleting   local-only.txt\n>f.st...... README.txt\n>f+++++++++ new.txt\n';

beforeEach(async () => {
  f = await failoverFixture();
  out = [];
  f.fake.override((_host, script) =>
    script.includes('--itemize-changes')
      ? { kind: 'ok', result: { code: 0, stdout: ITEMIZED, stderr: '', truncated: false, durationMs: 1 } }
      : undefined,
  );
  const started = await startConfirmed(f.deps, {
    groupId: f.groups.files.id,
    targetServerId: f.servers['files-b'].id,
    mode: 'real',
    confirmation: 'files',
  });
  expect(await started.finished).toBe('succeeded');
});
afterEach(() => f.ws.cleanup());

const copiesSince = (from: number) =>
  f.fake.calls.slice(from).filter((c) => c.script.startsWith('if ! ip -o addr show'));

describe('lifeboat reprotect', () => {
  it('--dry-run prints the plan, the pre-flight and what would be overwritten or deleted, and copies nothing', async () => {
    const from = f.fake.calls.length;
    expect(await run('reprotect', 'files', '--dry-run')).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/Plan: reprotect of files/);
    expect(text).toMatch(/RUNNING WITHOUT REDUNDANCY/);
    expect(text).toMatch(/2 file\(s\) on files-a would be overwritten or deleted/);
    expect(text).toContain('*deleting   local-only.txt');
    expect(text).not.toContain('new.txt');
    expect(copiesSince(from)).toEqual([]);
  });

  it('--yes with the acknowledgement the dry run printed re-protects; the group is redundant again', async () => {
    await run('reprotect', 'files', '--dry-run');
    const ack = /--acknowledge-overwrites (\d+:[0-9a-f]{12})/.exec(out.join('\n'))![1];
    out = [];
    const from = f.fake.calls.length;
    expect(await run('reprotect', 'files', '--yes', '--acknowledge-overwrites', ack), out.join('\n')).toBe(0);
    expect(copiesSince(from)).toHaveLength(1);
    expect(out.join('\n')).toMatch(/Re-protect of files to files-a: succeeded/);
    expect(await f.ws.ok('groups.state')).toMatchObject([{ redundancy: 'redundant' }]);
  });

  it('an acknowledgement of another list is not used: with no answer on stdin the run aborts and copies nothing', async () => {
    const { Command } = await import('commander');
    const program = new Command().exitOverride();
    const env = cliEnv(f, io);
    const asked: string[] = [];
    registerReprotectCommands(program, env as never, async (question) => {
      asked.push(question);
      return null;
    });
    const from = f.fake.calls.length;
    await expect(
      program.parseAsync(['reprotect', 'files', '--yes', '--acknowledge-overwrites', '2:000000000000'], {
        from: 'user',
      }),
    ).rejects.toThrow(/exit 1/);
    expect(asked.join('\n')).toMatch(/2 file\(s\) on files-a would be overwritten or deleted/);
    expect(copiesSince(from)).toEqual([]);
    expect(await f.ws.ok('groups.state')).toMatchObject([{ redundancy: 'without-redundancy' }]);
  });

  it('refuses a malformed acknowledgement and an unknown group where they enter', async () => {
    expect(await run('reprotect', 'files', '--acknowledge-overwrites', 'all')).toBe(2);
    expect(await run('reprotect', 'nope', '--dry-run')).toBe(2);
    expect(out.join('\n')).toMatch(/no service group named "nope"/);
  });

  it('matches a halt by its count and sha256 prefix only', () => {
    const question = (answers: string) =>
      `Step 1: 2 file(s) on files-a would be overwritten or deleted (1 deleted; list sha256 abcdef012345, listed in the output).\nAnswer (${answers}; skip and abort take a reason): `;
    const ack = question('acknowledge | skip | abort');
    expect(acknowledgesQuestion(ack, { count: 2, sha: 'abcdef012345' })).toBe(true);
    expect(acknowledgesQuestion(ack, { count: 3, sha: 'abcdef012345' })).toBe(false);
    expect(acknowledgesQuestion(ack, { count: 2, sha: 'abcdef012346' })).toBe(false);
    expect(acknowledgesQuestion(ack, null)).toBe(false);
    expect(acknowledgesQuestion(question('retry | skip | abort'), { count: 2, sha: 'abcdef012345' })).toBe(false);
  });
});

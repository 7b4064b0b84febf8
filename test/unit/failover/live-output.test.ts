/** A long step's output reaches the run as it arrives, once, and the audit row still holds all of it. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { auditedExec } from '../../../electron/failover/exec';
import { listAuditRows } from '../../../electron/db/repositories/audit';
import type { RemoteOutcome, RemoteRunner, RunOptions } from '../../../electron/ports/remote';
import type { Server } from '../../../shared/domain';

let ws: TempWorkspace;
beforeEach(() => {
  ws = openTempWorkspace();
});
afterEach(() => ws.cleanup());

const server = { id: 1, name: 'files-b' } as Server;

/** A runner whose command prints two chunks, reporting each as it "arrives". */
function streamingRunner(): RemoteRunner & { sawListener: boolean } {
  const runner = {
    sawListener: false,
    async run(_server: Server, _script: string, options: RunOptions): Promise<RemoteOutcome> {
      runner.sawListener = typeof options.onOutput === 'function';
      options.onOutput?.('stdout', 'sending incremental file list\n');
      options.onOutput?.('stderr', 'warning: some files vanished\n');
      options.onOutput?.('stdout', 'sent 12 bytes\n');
      return {
        kind: 'ok',
        result: {
          code: 0,
          stdout: 'sending incremental file list\nsent 12 bytes\n',
          stderr: 'warning: some files vanished\n',
          truncated: false,
          durationMs: 5,
        },
      };
    },
    async batch(): Promise<RemoteOutcome[]> {
      return [];
    },
    async dispose() {},
  };
  return runner;
}

describe('live output of a step', () => {
  it('is streamed chunk by chunk and not sent again when the command ends', async () => {
    const runner = streamingRunner();
    const lines: { stream: string; text: string }[] = [];
    const scope = {
      db: ws.db,
      runner,
      actor: 'sam@laptop',
      runId: null,
      groupId: null,
      stepIndex: 2,
      output: (line: { stream: string; text: string }) => void lines.push(line),
    };
    await auditedExec(scope, server, 'copy /srv/files', 'rsync …', { readOnly: false });
    expect(runner.sawListener).toBe(true);
    const out = lines.filter((l) => l.stream === 'stdout' || l.stream === 'stderr');
    expect(out).toEqual([
      { stepIndex: 2, host: 'files-b', stream: 'stdout', text: 'sending incremental file list\n' },
      { stepIndex: 2, host: 'files-b', stream: 'stderr', text: 'warning: some files vanished\n' },
      { stepIndex: 2, host: 'files-b', stream: 'stdout', text: 'sent 12 bytes\n' },
    ]);
    const outcome = listAuditRows(ws.db, { limit: 10 }).find((r) => r.kind === 'outcome');
    expect(outcome?.output).toContain('sent 12 bytes');
    expect(outcome?.output).toContain('warning: some files vanished');
  });
});

describe('passwords in a custom command', () => {
  it('go to the host but not to the audit log or the live output', async () => {
    let sent = '';
    const lines: { stream: string; text: string }[] = [];
    const runner: RemoteRunner = {
      async run(_server, script, options) {
        sent = script;
        options.onOutput?.('stdout', 'connecting with PGPASSWORD=hunter2\n');
        return {
          kind: 'ok',
          result: {
            code: 0,
            stdout: 'connecting with PGPASSWORD=hunter2\n',
            stderr: '',
            truncated: false,
            durationMs: 1,
          },
        };
      },
      async batch() {
        return [];
      },
      async dispose() {},
    };
    const scope = {
      db: ws.db,
      runner,
      actor: 'sam@laptop',
      runId: null,
      groupId: null,
      stepIndex: 0,
      output: (line: { stream: string; text: string }) => void lines.push(line),
    };
    await auditedExec(scope, server, 'custom', "PGPASSWORD='hunter2' psql -c 'select 1'", { readOnly: false });
    expect(sent).toContain('hunter2');
    const rows = listAuditRows(ws.db, { limit: 10 });
    expect(JSON.stringify(rows)).not.toContain('hunter2');
    expect(rows.find((r) => r.kind === 'intent')?.command).toContain('PGPASSWORD=<password> psql');
    expect(JSON.stringify(lines)).not.toContain('hunter2');
  });
});

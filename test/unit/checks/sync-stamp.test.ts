/**
 * freshness in sync-stamp mode: the actual RPO from the scheduled sync's stamps, an alarm on a
 * failed run, a mass deletion stopped, a missing run, and unknown for what does not prove itself.
 */
import { describe, expect, it } from 'vitest';
import { Server } from '../../../shared/domain';
import { freshnessKind } from '../../../electron/checks/freshness';
import { missingAfterSeconds } from '../../../electron/checks/sync-stamp';
import type { CheckContext, Observation } from '../../../electron/checks/kind';
import type { RemoteOutcome } from '../../../electron/ports/remote';
import { ok } from './runners';

const server = Server.parse({ id: 2, name: 'files-b', addresses: ['10.0.0.32'], ssh: { host: '10.0.0.32' } });
const ctx = (maxAgeMinutes: number | null = null, rpo: number | null = 60) =>
  ({
    check: {
      id: 1,
      kind: 'freshness',
      name: 'stamp',
      groupId: 5,
      serverId: 2,
      serviceId: null,
      intervalSeconds: 60,
      timeoutSeconds: 10,
      retries: 0,
      enabled: true,
      params: { path: '/var/lib/lifeboat/sync/files', mode: 'sync-stamp', maxAgeMinutes },
    },
    group: null,
    servers: new Map([[2, server]]),
    service: rpo === null ? null : { id: 1, name: 'File share', tier: 'important', rtoMinutes: 240, rpoMinutes: rpo },
  }) as CheckContext<'freshness'>;

const stampLines = (prefix: string, start: number, status = 'ok', exit = 0, interval = 300) =>
  [
    `${prefix}start=${start}`,
    `${prefix}end=${start + 4}`,
    `${prefix}bytes=1234`,
    `${prefix}exit=${exit}`,
    `${prefix}status=${status}`,
    `${prefix}holder=files-a`,
    `${prefix}to=files-b 10.0.0.32:22`,
    `${prefix}interval=${interval}`,
  ].join('\n');
const judge = (outcome: RemoteOutcome, c = ctx()) =>
  freshnessKind.evaluate([{ server, outcome } satisfies Observation], c);
const answer = (...parts: string[]) => ok([...parts, 'end=1'].join('\n'));

describe('freshness: sync stamps', () => {
  it('reports the actual RPO (now − the start of the last good run) against the service RPO', () => {
    const now = 1_000_000;
    const result = judge(answer(`now=${now}`, stampLines('last_', now - 120), stampLines('good_', now - 120)));
    expect(result.status).toBe('ok');
    expect(result.metrics.ageMinutes).toBe(2);
    expect(result.metrics.limitMinutes).toBe(60);
    expect(result.summary).toMatch(/actual RPO 2 min \(RPO 60 min\)/);
  });

  it('fails when the last good run is older than the RPO, warns near it', () => {
    const now = 1_000_000;
    const run = (age: number) =>
      judge(answer(`now=${now}`, stampLines('last_', now - 60, 'ok', 0, 300), stampLines('good_', now - age)));
    expect(run(61 * 60).status).toBe('fail');
    expect(run(50 * 60).status).toBe('warn');
  });

  it('raises the alarm on a failed run and on a run --max-delete stopped, keeping the actual RPO', () => {
    const now = 1_000_000;
    const failed = judge(
      answer(`now=${now}`, stampLines('last_', now - 10, 'failed', 12), stampLines('good_', now - 600)),
    );
    expect(failed.status).toBe('fail');
    expect(failed.summary).toMatch(/rsync failed \(exit 12\)/);
    expect(failed.metrics.ageMinutes).toBe(10);
    const capped = judge(
      answer(`now=${now}`, stampLines('last_', now - 10, 'max-delete', 25), stampLines('good_', now - 600)),
    );
    expect(capped.status).toBe('fail');
    expect(capped.summary).toMatch(/--max-delete stopped a mass deletion/);
  });

  it('raises the alarm when no run came within the interval and its margin', () => {
    const now = 1_000_000;
    const late = missingAfterSeconds(300) + 1;
    const result = judge(answer(`now=${now}`, stampLines('last_', now - late), stampLines('good_', now - late)));
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/no sync run for .* the timer stopped/);
    const onTime = judge(answer(`now=${now}`, stampLines('last_', now - 300), stampLines('good_', now - 300)));
    expect(onTime.status).toBe('ok');
  });

  it('fails when nothing is installed or recorded, and warns while paused', () => {
    expect(judge(answer('now=5', 'missing=1')).summary).toMatch(/not installed or never ran/);
    expect(judge(answer('now=5')).status).toBe('fail');
    const now = 1_000_000;
    const paused = judge(answer(`now=${now}`, stampLines('last_', now - 5, 'paused'), stampLines('good_', now - 100)));
    expect(paused.status).toBe('warn');
    expect(paused.summary).toMatch(/paused/);
  });

  it('is unknown when the stamp does not parse, the clock is missing, the output is cut or the host is unreachable', () => {
    expect(judge(answer('now=1000', 'last_start=soon', 'last_status=ok')).status).toBe('unknown');
    expect(judge(answer(stampLines('last_', 10), stampLines('good_', 10))).status).toBe('unknown');
    const cut: RemoteOutcome = {
      kind: 'ok',
      result: { code: 0, stdout: `now=1000\n${stampLines('last_', 990)}`, stderr: '', truncated: true, durationMs: 1 },
    };
    expect(judge(cut).status).toBe('unknown');
    expect(
      judge({ kind: 'unreachable', detail: 'connect ETIMEDOUT', cause: 'network' } satisfies RemoteOutcome).status,
    ).toBe('unknown');
    expect(
      judge({
        kind: 'failed',
        result: { code: 127, stdout: '', stderr: 'sh: sed: not found', truncated: false, durationMs: 1 },
      }).status,
    ).toBe('unknown');
  });

  it('runs the stamp script for the sync-stamp mode only', () => {
    const script = freshnessKind.script(ctx().check.params, server, ctx()).text;
    expect(script).toContain("'/var/lib/lifeboat/sync/files'");
    expect(script).toContain('s/^/last_/p');
  });
});

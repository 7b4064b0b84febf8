import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PlanExport } from '../../../shared/contract/plan';
import type { Snapshot } from '../../../shared/domain';
import type { Runbook, RunbookStep } from '../../../shared/runbooks';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { describeWithTools } from './tools';

const squash = (text: string) => text.replace(/\s+/g, '');
const STEPS = 40;
/** One line of 700 characters with no space to break at: it must wrap, not run off the page. */
const LONG_WORD = `/srv/${'very-long-directory-name-'.repeat(27)}end`;
const LONG_COMMAND = `test -d ${LONG_WORD} && echo present`;

describeWithTools('page rules of the PDF', { chromium: true, poppler: true }, () => {
  let ws: TempWorkspace;
  let file: string;
  let pages: string[];
  let steps: { title: string; scripts: string[] }[];

  beforeAll(async () => {
    ws = openTempWorkspace();
    await ws.ok('workspace.create', { template: 'example' });
    const snapshot = await ws.ok<Snapshot>('workspace.snapshot');
    const web = snapshot.groups.find((g) => g.name === 'web')!;
    const standby = web.members.find((m) => m.role === 'standby')!.serverId;
    const runbook = await ws.ok<Runbook>('runbooks.get', { groupId: web.id, targetServerId: standby });
    // Many steps of uneven height, so that page ends fall inside steps unless the rules keep them whole.
    steps = Array.from({ length: STEPS }, (_, i) => {
      const lines = 1 + ((i * 7) % 9);
      const scripts = [
        i === 5
          ? LONG_COMMAND
          : Array.from({ length: lines }, (_, l) => `echo "step ${i + 1} line ${l + 1} of ${lines}"`).join('\n'),
      ];
      return { title: `Check number ${String(i + 1).padStart(2, '0')} of the web group`, scripts };
    });
    const custom: RunbookStep[] = steps.map((s) => ({
      type: 'action',
      title: s.title,
      serverId: standby,
      timeoutSeconds: 60,
      whenUnreachable: 'halt',
      action: { kind: 'command.run', params: { script: s.scripts[0], expectedExitCodes: [0] } },
    }));
    await ws.ok('runbooks.save', {
      groupId: web.id,
      direction: runbook.direction,
      sourceServerId: runbook.sourceServerId,
      targetServerId: standby,
      steps: [...runbook.steps, ...custom],
    });
    const result = await ws.ok<PlanExport>('plan.export', { format: 'pdf' });
    file = path.join(ws.dir, result.fileName);
    fs.writeFileSync(file, Buffer.from(result.content, 'base64'));
    const count = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    pages = Array.from({ length: count }, (_, i) =>
      execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), '-layout', file, '-'], { encoding: 'utf8' }),
    );
  }, 90_000);
  afterAll(() => ws?.cleanup());

  it('keeps every step whole: its title and all its commands on one page', () => {
    const spanned = new Set<number>();
    for (const step of steps) {
      const page = pages.findIndex((text) => text.includes(step.title));
      expect(page, step.title).toBeGreaterThanOrEqual(0);
      for (const script of step.scripts)
        expect(squash(pages[page]), `${step.title} (page ${page + 1})`).toContain(squash(script));
      spanned.add(page);
    }
    // The steps really do run over several pages, so the rule was put to the test.
    expect(spanned.size).toBeGreaterThan(2);
  });

  it('wraps a very long command instead of cutting it: all of it is on the page', () => {
    const page = pages.find((text) => text.includes('Check number 06'))!;
    expect(squash(page)).toContain(squash(LONG_COMMAND));
    // pdftotext puts wrapped pieces on separate lines: the 700 characters did not fit on one.
    expect(page.split('\n').some((line) => line.includes(LONG_WORD))).toBe(false);
  });

  it('starts each service group on a page of its own', () => {
    for (const heading of ['5.1 Group gw', '5.2 Group pbx', '5.3 Group db', '5.4 Group web', '5.5 Group files']) {
      const page = pages.find((text) => text.includes(heading));
      expect(page, heading).toBeDefined();
      const body = page!.split('\n').slice(1).join('\n').trim(); // below the running header
      expect(body.startsWith(heading), heading).toBe(true);
    }
  });
});

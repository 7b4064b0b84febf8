import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePlanYaml, planToYaml, PlanDocument } from '../../../shared/plan-file';
import { exampleCompany } from '../../../shared/example-company';
import { LifeboatError } from '../../../shared/errors';
import type { Snapshot } from '../../../shared/domain';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';

let ws: TempWorkspace;
beforeEach(() => {
  ws = openTempWorkspace();
});
afterEach(() => ws.cleanup());

const failure = (text: string): LifeboatError => {
  try {
    parsePlanYaml(text);
  } catch (error) {
    if (error instanceof LifeboatError) return error;
    throw error;
  }
  throw new Error('expected the plan to be refused');
};

describe('plan file', () => {
  it('round-trips the example company: export → import → export gives the same text and the same snapshot', async () => {
    await ws.ok('workspace.create', { template: 'example' });
    const first = await ws.ok<{ yaml: string }>('workspace.exportPlan');
    const before = await ws.ok<Snapshot>('workspace.snapshot');
    await ws.ok('workspace.create', { template: 'empty' });
    const summary = await ws.ok<Record<string, number>>('workspace.importPlan', { yaml: first.yaml });
    expect(summary).toEqual({ sites: 1, servers: 9, services: 7, groups: 5, contacts: 6, dropped: [] });
    const second = await ws.ok<{ yaml: string }>('workspace.exportPlan');
    expect(second.yaml).toBe(first.yaml);
    const after = await ws.ok<Snapshot>('workspace.snapshot');
    const strip = (s: Snapshot) =>
      JSON.parse(JSON.stringify(s, (k, v) => (k === 'id' || k.endsWith('Id') || k === 'dependsOn' ? undefined : v)));
    expect(strip(after)).toEqual(strip(before));
  });

  it('documents itself: a header comment and the format version', () => {
    const text = planToYaml(PlanDocument.parse(exampleCompany()));
    expect(text.startsWith('# Lifeboat disaster-recovery plan file')).toBe(true);
    expect(text).toMatch(/^lifeboat: 1$/m);
  });

  it('names the line of a bad value', () => {
    const text = planToYaml(PlanDocument.parse(exampleCompany())).replace('192.0.2.21', '192.0.2.300');
    const line = text.split('\n').findIndex((l) => l.includes('192.0.2.300')) + 1;
    const error = failure(text);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain(`line ${line}`);
    expect(error.message).toContain('above 255');
  });

  it('names the line of a reference to nothing', () => {
    const text = planToYaml(PlanDocument.parse(exampleCompany())).replace('group: web', 'group: webz');
    const error = failure(text);
    expect(error.message).toMatch(/line \d+, services\[\d\]\.group: no service group named "webz"/);
  });

  it('refuses the wrong version, truncated YAML, and valid YAML of the wrong shape', () => {
    expect(failure('lifeboat: 2\n').message).toContain('format version 1');
    expect(failure('lifeboat: 1\nservers:\n  - name: "web-a\n').message).toMatch(/not valid YAML: line \d/);
    expect(failure('- just\n- a list\n').message).toContain('not a mapping');
    expect(failure('lifeboat: 1\nservers: {}\n').message).toMatch(/line 2, servers: .*expected array/);
    expect(failure('lifeboat: 1\nsurprise: true\n').message).toContain('surprise');
  });

  it('refuses a billion-laughs alias bomb without expanding it', () => {
    const bomb = ['lifeboat: 1', 'a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 8; i++)
      bomb.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
      );
    expect(failure(bomb.join('\n')).message).toMatch(/alias/i);
  });

  it('leaves the workspace untouched when an import fails half way (a dependency cycle)', async () => {
    await ws.ok('workspace.create', { template: 'example' });
    const before = await ws.ok<{ yaml: string }>('workspace.exportPlan');
    const cyclic = before.yaml.replace(/(name: Network gateway\n(?:.*\n)*?\s+dependsOn:) \[\]/, '$1\n      - CRM');
    expect(cyclic).not.toBe(before.yaml);
    const result = await ws.dispatcher.dispatch('workspace.importPlan', { yaml: cyclic });
    expect(result).toMatchObject({ ok: false, error: { code: 'dependency_cycle' } });
    expect((await ws.ok<{ yaml: string }>('workspace.exportPlan')).yaml).toBe(before.yaml);
  });
});

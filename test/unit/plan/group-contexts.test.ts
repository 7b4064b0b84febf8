import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../shared/domain';
import { loadGroup } from '../../../electron/failover/definition';
import { groupContexts } from '../../../electron/plan/group-contexts';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';

describe("the plan's one-read group contexts", () => {
  let ws: TempWorkspace;
  let snapshot: Snapshot;
  beforeAll(async () => {
    ws = openTempWorkspace();
    await ws.ok('workspace.create', { template: 'example' });
    snapshot = await ws.ok<Snapshot>('workspace.snapshot');
  });
  afterAll(() => ws?.cleanup());

  it("equal the failover engine's loadGroup for every group (so the plan prints what the engine runs)", () => {
    const contexts = groupContexts(ws.db);
    expect(contexts.map((c) => c.group.name).sort()).toEqual(snapshot.groups.map((g) => g.name).sort());
    for (const context of contexts) expect(context, context.group.name).toEqual(loadGroup(ws.db, context.group.id));
  });
});

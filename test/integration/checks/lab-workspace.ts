/** A workspace describing the lab (the example company on 10.77.0.0/24), its host keys pinned, the real SSH runner wired. */
import type { Snapshot } from '../../../shared/domain';
import type { RemoteRunner } from '../../../electron/ports/remote';
import type { Lab } from '../../helpers/lab';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';
import { importLabCompany } from '../../lab/console';

export interface LabWorkspace {
  ws: TempWorkspace;
  snapshot: Snapshot;
  runner: RemoteRunner;
  close(): Promise<void>;
}

/** Import the example company at the lab's addresses and pin every host key the lab reports (no runner wired). */
export async function importLabWorkspace(lab: Lab): Promise<{ ws: TempWorkspace; snapshot: Snapshot }> {
  const ws = openTempWorkspace();
  await importLabCompany((method, input) => ws.ok(method, input), lab);
  const snapshot = await ws.ok<Snapshot>('workspace.snapshot');
  return { ws, snapshot };
}

/** The lab's workspace with the real SSH runner (the context's) for checks (no monitor: runNow reports what it observed). */
export async function openLabWorkspace(lab: Lab): Promise<LabWorkspace> {
  const { ws, snapshot } = await importLabWorkspace(lab);
  // openApp wires the SSH engine's runner into the context; closing the workspace closes its connections.
  const runner = ws.ctx.runner;
  if (!runner) throw new Error('the workspace has no SSH runner');
  return {
    ws,
    snapshot,
    runner,
    async close() {
      ws.cleanup();
    },
  };
}

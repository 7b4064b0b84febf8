/** A workspace describing the lab (the example company on 10.77.0.0/24), its host keys pinned, the real SSH runner wired. */
import { exampleCompany } from '../../../shared/example-company';
import { PlanDocument, planToYaml } from '../../../shared/plan-file';
import type { HostKeyScan } from '../../../shared/contract/hosts';
import type { Snapshot } from '../../../shared/domain';
import { createSshRunner } from '../../../electron/ssh/runner';
import { setRunnerFor } from '../../../electron/checks/registry';
import type { RemoteRunner } from '../../../electron/services/remote';
import type { Lab } from '../../helpers/lab';
import { openTempWorkspace, type TempWorkspace } from '../../helpers/workspace';

export interface LabWorkspace {
  ws: TempWorkspace;
  snapshot: Snapshot;
  runner: RemoteRunner;
  close(): Promise<void>;
}

/** Import the example company at the lab's addresses and pin every host key the lab reports (no runner wired). */
export async function importLabWorkspace(lab: Lab): Promise<{ ws: TempWorkspace; snapshot: Snapshot }> {
  const ws = openTempWorkspace();
  const plan = PlanDocument.parse(exampleCompany({ net: lab.network.cidr.split('.').slice(0, 3).join('.'), keyPath: lab.keyPath }));
  await ws.ok('workspace.importPlan', { yaml: planToYaml(plan) });
  const snapshot = await ws.ok<Snapshot>('workspace.snapshot');
  for (const server of snapshot.servers) {
    const host = Object.values(lab.hosts).find((h) => h.ip === server.ssh.host);
    if (!host) throw new Error(`the lab has no host at ${server.ssh.host} (${server.name})`);
    const scan = await ws.ok<HostKeyScan>('hosts.scanKey', { serverId: server.id });
    // Trust only the key the lab itself generated for that host.
    if (scan.fingerprint !== host.hostKeyFingerprint) throw new Error(`${server.name} presents ${scan.fingerprint}, the lab made ${host.hostKeyFingerprint}`);
    await ws.ok('hosts.trust', { serverId: server.id, keyType: scan.keyType, fingerprint: scan.fingerprint });
  }
  return { ws, snapshot };
}

/** The lab's workspace with the real SSH runner wired for checks (no monitor: runNow reports what it observed). */
export async function openLabWorkspace(lab: Lab): Promise<LabWorkspace> {
  const { ws, snapshot } = await importLabWorkspace(lab);
  const runner = createSshRunner(ws.db);
  setRunnerFor(ws.db, runner);
  return {
    ws,
    snapshot,
    runner,
    async close() {
      setRunnerFor(ws.db, null);
      await runner.dispose();
      ws.cleanup();
    },
  };
}

/**
 * A workspace describing the running lab, for `npm run lab`: the example company at the lab's
 * addresses and key, every host key pinned (only the key the lab itself generated for that host),
 * and the default health checks. Goes through the product's own dispatcher, as the console would.
 */
import { openApp } from '../../electron/app';
import { exampleCompany } from '../../shared/example-company';
import { PlanDocument, planToYaml } from '../../shared/plan-file';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract/index';
import { HostKeyType } from '../../shared/contract/hosts';
import type { Lab } from './lab';

/** Write (replacing its content) the lab's workspace at `dbPath`; returns what it holds. */
export async function writeLabWorkspace(lab: Lab, dbPath: string): Promise<{ servers: number; pinned: number; checks: number }> {
  const app = openApp(dbPath, () => undefined);
  const call = async <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> => {
    const answer = await app.dispatcher.dispatch(method, input);
    if (!answer.ok) throw new Error(`${method}: ${answer.error.message}`);
    return answer.value as MethodOutput<M>;
  };
  try {
    const net = lab.network.cidr.split('.').slice(0, 3).join('.');
    const plan = PlanDocument.parse(exampleCompany({ net, keyPath: lab.keyPath }));
    await call('workspace.importPlan', { yaml: planToYaml(plan) });
    const snapshot = await call('workspace.snapshot', {});
    // The lab's hosts run no systemd: the groups' units would only make every start step fail.
    for (const group of snapshot.groups) if (group.processes.length > 0) await call('groups.save', { ...group, processes: [] });
    let pinned = 0;
    for (const server of snapshot.servers) {
      const host = Object.values(lab.hosts).find((h) => h.ip === server.ssh.host);
      if (!host) continue; // a server the lab does not run (none today)
      const scan = await call('hosts.scanKey', { serverId: server.id });
      if (scan.fingerprint !== host.hostKeyFingerprint) {
        throw new Error(`${server.name} presents ${scan.fingerprint}, but the lab made ${host.hostKeyFingerprint}: not pinning it`);
      }
      await call('hosts.trust', { serverId: server.id, keyType: HostKeyType.parse(scan.keyType), fingerprint: scan.fingerprint });
      pinned++;
    }
    const checks = await call('checks.generateDefaults', {});
    return { servers: snapshot.servers.length, pinned, checks: checks.created.length + checks.existing };
  } finally {
    app.dispose();
  }
}

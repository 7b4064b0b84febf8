/**
 * A workspace describing the running lab: the example company at the lab's addresses and key,
 * every host key pinned (only the key the lab itself generated for that host). Goes through the
 * product's own methods, as the console would. `npm run lab` writes one with the default checks;
 * the integration tests build theirs with the same function.
 */
import { openApp } from '../../electron/app';
import { exampleCompany } from '../../shared/example-company';
import { PlanDocument, planToYaml } from '../../shared/plan-file';
import { HostKeyType } from '../../shared/contract/hosts';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract/index';
import type { Lab } from './lab';

/** A way to call the API (a dispatcher, a temporary workspace's `ok`). */
export type LabCall = <M extends MethodName>(method: M, input: MethodInput<M>) => Promise<MethodOutput<M>>;

/**
 * Replace the workspace's content with the example company at the lab's addresses and pin every
 * host key. Its processes are the units the lab's hosts really run (systemd in each host), so
 * failovers stop and start them and checks read their state.
 */
export async function importLabCompany(call: LabCall, lab: Lab): Promise<{ servers: number; pinned: number }> {
  const net = lab.network.cidr.split('.').slice(0, 3).join('.');
  const plan = PlanDocument.parse(exampleCompany({ net, keyPath: lab.keyPath }));
  await call('workspace.importPlan', { yaml: planToYaml(plan) });
  const snapshot = await call('workspace.snapshot', {});
  for (const group of snapshot.groups) {
    for (const unit of group.processes) {
      const onHosts = Object.values(lab.hosts).filter((h) => h.units.includes(unit));
      if (!onHosts.length)
        throw new Error(
          `group ${group.name} runs ${unit}, which no lab host has: keep shared/example-company.ts and the lab's units in step`,
        );
    }
  }
  let pinned = 0;
  for (const server of snapshot.servers) {
    const host = Object.values(lab.hosts).find((h) => h.ip === server.ssh.host);
    if (!host) throw new Error(`the lab has no host at ${server.ssh.host} (${server.name})`);
    const scan = await call('hosts.scanKey', { serverId: server.id });
    if (scan.fingerprint !== host.hostKeyFingerprint) {
      throw new Error(
        `${server.name} presents ${scan.fingerprint}, but the lab made ${host.hostKeyFingerprint}: not pinning it`,
      );
    }
    await call('hosts.trust', {
      serverId: server.id,
      keyType: HostKeyType.parse(scan.keyType),
      fingerprint: scan.fingerprint,
    });
    pinned++;
  }
  return { servers: snapshot.servers.length, pinned };
}

/** Write (replacing its content) the lab's workspace at `dbPath`, with the default checks; returns what it holds. */
export async function writeLabWorkspace(
  lab: Lab,
  dbPath: string,
): Promise<{ servers: number; pinned: number; checks: number }> {
  const app = openApp(dbPath, () => undefined);
  const call: LabCall = async (method, input) => {
    const answer = await app.dispatcher.dispatch(method, input);
    if (!answer.ok) throw new Error(`${method}: ${answer.error.message}`);
    return answer.value as never;
  };
  try {
    const { servers, pinned } = await importLabCompany(call, lab);
    const checks = await call('checks.generateDefaults', {});
    return { servers, pinned, checks: checks.created.length + checks.existing };
  } finally {
    app.dispose();
  }
}

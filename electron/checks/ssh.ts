/** ssh: the host answers over SSH and runs a shell; latency is what the round trip took. */
import { sh } from '../ssh/quote';
import { membersOf, ownServer, outcomeProblem, round, type CheckKindModule } from './kind';
import { checkScript } from './script';

/** The ssh check kind: the one that says a host is down. */
export const sshKind: CheckKindModule<'ssh'> = {
  kind: 'ssh',
  reportsHostDown: true,
  defaults: (group, inventory) =>
    membersOf(group, inventory.servers).map((host) => ({
      name: `${host.name}: SSH`,
      serverId: host.id,
      intervalSeconds: 30,
    })),
  targets: ownServer,
  script: () => checkScript(sh`echo ssh=ok`),
  evaluate(observations, ctx) {
    const observation = observations[0];
    if (!observation)
      return { status: 'unknown', summary: 'the server of this check is not in the inventory', metrics: {} };
    const { outcome, server } = observation;
    if (outcome.kind === 'ok' || outcome.kind === 'failed') {
      const latencyMs = round(outcome.result.durationMs, 1);
      const slow = latencyMs >= ctx.check.params.warnLatencyMs;
      if (outcome.kind === 'failed') {
        return {
          status: 'warn',
          summary: `${server.name} answers over SSH but its shell failed: ${outcomeProblem(observation)}`,
          metrics: { reachable: true, latencyMs },
        };
      }
      return {
        status: slow ? 'warn' : 'ok',
        summary: `${server.name} answers over SSH in ${latencyMs} ms${slow ? ` (slow: warn from ${ctx.check.params.warnLatencyMs} ms)` : ''}`,
        metrics: { reachable: true, latencyMs },
      };
    }
    // Lifeboat cannot log in (no agent, no key, passphrase needed): nothing was exchanged, so
    // nothing is known about the host; that is unknown, never "down" (shared/ssh-status.ts).
    if (outcome.kind === 'unreachable' && outcome.cause === 'local') {
      return {
        status: 'unknown',
        summary: outcomeProblem(observation) ?? `Lifeboat cannot log in to ${server.name}`,
        metrics: { reachable: null },
      };
    }
    // Unreachable, no answer in time, or a host key that is not trusted: the host is down for us.
    return {
      status: 'fail',
      summary: outcomeProblem(observation) ?? `${server.name} did not answer`,
      metrics: { reachable: false },
    };
  },
};

/**
 * command.run: a script written by the runbook's author, shown verbatim in the plan, confirmed
 * with it, audited, and judged by its expected exit statuses. It is the author's code by design;
 * nothing from elsewhere is spliced into it.
 */
import type { ActionModule } from './kit';
import { outcomeText, planned } from './kit';

export const commandRun: ActionModule<'command.run'> = {
  kind: 'command.run',
  describe: (params, env) =>
    `Run the runbook's own script on ${env.server.name} (success: exit ${params.expectedExitCodes.join(' or ')})`,
  commands: (params, env) => [planned(env.server, 'custom script', params.script, false)],
  servers: (_params, env) => [env.server],
  async execute(params, env) {
    const outcome = await env.exec(env.server, 'custom script', params.script, {
      readOnly: false,
      okCodes: params.expectedExitCodes,
      timeoutMs: env.remainingMs(),
    });
    if (outcome.kind === 'ok') return { status: 'succeeded', message: `exit status ${outcome.result.code}` };
    if (outcome.kind === 'indeterminate') return { status: 'indeterminate', message: outcomeText(outcome) };
    return { status: 'failed', message: outcomeText(outcome) };
  },
  // A custom script's effect is unknown to Lifeboat: the operator must look.
  observe: async () => 'Lifeboat cannot re-read what a custom script changes: check by hand before retrying',
};

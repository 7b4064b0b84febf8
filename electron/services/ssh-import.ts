/**
 * Adding servers from an SSH client config. The file is read again here (the renderer only names
 * the Host aliases it chose), each chosen draft is checked as `servers.save` checks it, ProxyJump
 * becomes the jump server (one chosen in the same import, or a server of that name already in the
 * inventory), and everything is saved in one transaction: any problem and nothing is added.
 */
import type { ServiceContext } from '../ports/context';
import type { MethodOutput, MethodParsedInput } from '../../shared/contract/index';
import { LifeboatError, type FieldIssue } from '../../shared/errors';
import { printable } from '../../shared/validation';
import { listServers } from '../db/repositories/servers';
import { localSshContext, parseSshConfig, type SshConfigContext } from '../ssh/ssh-config';
import { storeServer } from './inventory';

type Input = MethodParsedInput<'servers.importSshConfig'>;
type Output = MethodOutput<'servers.importSshConfig'>;

/** Save the chosen Hosts as servers, jump hosts first; throws with every problem, saving nothing. */
export function importSshConfigHosts(
  ctx: ServiceContext,
  { text, aliases }: Input,
  context: SshConfigContext = localSshContext(),
): Output {
  const parsed = parseSshConfig(text, context);
  const byAlias = new Map(parsed.hosts.map((host) => [host.alias, host]));
  const chosen = new Set(aliases);
  const existing = new Map(listServers(ctx.db).map((server) => [server.name, server.id]));
  const issues: FieldIssue[] = [];
  const fail = (index: number, message: string) => issues.push({ path: ['aliases', index], message });

  aliases.forEach((alias, index) => {
    const host = byAlias.get(alias);
    if (!host) return fail(index, `the config has no Host "${printable(alias)}"`);
    if (!host.draft)
      return fail(index, `Host ${printable(alias)} (line ${host.line}) cannot be added: ${host.problems.join('; ')}`);
    if (existing.has(host.draft.name))
      return fail(index, `a server named "${host.draft.name}" is already in the inventory`);
    if (host.jumpAlias && !chosen.has(host.jumpAlias)) {
      const jumpName = byAlias.get(host.jumpAlias)?.draft?.name ?? host.jumpAlias.toLowerCase();
      if (!existing.has(jumpName))
        fail(
          index,
          `Host ${printable(alias)} jumps through ${printable(host.jumpAlias)}: add that Host too, or add a server named "${jumpName}" first`,
        );
    }
  });
  if (issues.length > 0) throw new LifeboatError('invalid_input', `Nothing was added: ${issues[0].message}`, issues);

  // Jump hosts before the hosts that use them; a cycle among the chosen is refused.
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (alias: string, trail: string[]) => {
    if (order.includes(alias)) return;
    if (visiting.has(alias))
      throw new LifeboatError(
        'invalid_input',
        `Nothing was added: the ProxyJump entries form a cycle (${[...trail, alias].map(printable).join(' → ')})`,
      );
    visiting.add(alias);
    const jump = byAlias.get(alias)?.jumpAlias;
    if (jump && chosen.has(jump)) visit(jump, [...trail, alias]);
    visiting.delete(alias);
    order.push(alias);
  };
  for (const alias of aliases) visit(alias, []);

  return ctx.db.transaction(() => {
    const ids = new Map(existing);
    const saved: Output['saved'] = [];
    for (const alias of order) {
      const host = byAlias.get(alias)!;
      const draft = host.draft!;
      const jumpName = host.jumpAlias
        ? (byAlias.get(host.jumpAlias)?.draft?.name ?? host.jumpAlias.toLowerCase())
        : null;
      const server = storeServer(ctx, {
        ...draft,
        ssh: { ...draft.ssh, jumpServerId: jumpName ? ids.get(jumpName)! : null },
      });
      ids.set(server.name, server.id);
      saved.push({ alias, serverId: server.id, name: server.name, jump: jumpName });
    }
    return { saved };
  })();
}

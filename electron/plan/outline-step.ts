/** The pieces every generated outline step is made of. */
import type { Server, ServiceGroup } from '../../shared/domain';
import type { VipOnInterface } from './commands';

export interface OutlineStep {
  title: string;
  /** Who does it: a contact with their role, or the role described. */
  role: string;
  /** Where the commands run ("web-b (192.0.2.12)", "your laptop"); null when there are none. */
  where: string | null;
  commands: string[];
  /** What to look for, or a caution. */
  note: string;
}

/** One outline step; a step without commands has no place to run. */
export function step(title: string, role: string, where: string | null, commands: string[], note = ''): OutlineStep {
  return { title, role, where: commands.length > 0 ? where : null, commands, note };
}

/** Where a server's commands run, as the plan prints it. */
export const whereOn = (server: Server): string => `${server.name} (${server.ssh.host})`;
export const LAPTOP = 'your laptop (or any machine on the office network)';

/** VIPs with the interface each has on a given member. */
export function vipsOn(group: ServiceGroup, server: Server): VipOnInterface[] {
  return group.vips.flatMap((vip) => {
    const itf = vip.interfaces.find((i) => i.serverId === server.id)?.interface;
    return itf ? [{ address: vip.address, prefix: vip.prefix, interface: itf }] : [];
  });
}

/**
 * Every service group as the failover engine's loadGroup (electron/failover/definition.ts) sees it,
 * read once for all groups: loadGroup reads every group, server and service again for each group,
 * which a plan of a hundred groups pays a hundred times. Read-only; a test keeps the two equal.
 */
import type { Db } from '../db/connection';
import type { Server } from '../../shared/domain';
import type { GroupContext } from '../failover/definition';
import { listGroups } from '../db/repositories/groups';
import { listServers } from '../db/repositories/servers';
import { listServices } from '../db/repositories/services';

const minOf = (values: (number | null)[]): number | null => {
  const set = values.filter((v): v is number => v !== null);
  return set.length > 0 ? Math.min(...set) : null;
};

/** The engine's context of every group, in the order of listGroups. */
export function groupContexts(db: Db): GroupContext[] {
  const servers: ReadonlyMap<number, Server> = new Map(listServers(db).map((s) => [s.id, s]));
  const services = listServices(db);
  return listGroups(db).map((group) => {
    const own = services.filter((s) => s.groupId === group.id);
    return {
      group,
      servers,
      rtoMinutes: minOf(own.map((s) => s.rtoMinutes)),
      rpoMinutes: minOf(own.map((s) => s.rpoMinutes)),
      services: own.map((s) => ({ name: s.name, workaround: s.workaround })),
    };
  });
}

/** The data part of a generated runbook outline: how each kind of data moves to the standby. */
import type { Server, ServiceGroup } from '../../shared/domain';
import { asUser, psql, rsyncTo, shellWord, showVip } from './commands';
import { step, vipsOn, whereOn, type OutlineStep } from './outline-step';

type Phase = 'before-release' | 'after-release';

/** Checks to run before anything moves. */
export function dataPreflight(group: ServiceGroup, primary: Server, standby: Server, role: string): OutlineStep[] {
  const data = group.data;
  if (data.kind === 'postgres') {
    return [
      step(
        `Check that ${standby.name} is a replica and how far behind it is`,
        role,
        whereOn(standby),
        [
          psql(standby.os, data, 'SELECT pg_is_in_recovery()'),
          psql(standby.os, data, 'SELECT now() - pg_last_xact_replay_timestamp()'),
        ],
        'The first prints "t" (it is a replica). The second is the replication lag: more than the RPO means data will be lost; the owner decides whether to go on.',
      ),
    ];
  }
  if (data.kind === 'rsync') {
    return [
      step(
        `Check when ${standby.name} last received a sync`,
        role,
        whereOn(standby),
        data.paths.map((p) => `ls -lt -- ${shellWord(p)} | head -n 5`),
        `The newest files are at the top: compare their times with the sync interval. Files changed on ${primary.name} after the last sync exist only there; the next step copies them if ${primary.name} still answers.`,
      ),
    ];
  }
  return [];
}

/** Moving the data: the old side before its addresses are released, the new side after. */
export function dataHandover(
  group: ServiceGroup,
  primary: Server,
  standby: Server,
  role: string,
  phase: Phase,
): OutlineStep[] {
  const data = group.data;
  const on = (server: Server) => whereOn(server);
  switch (data.kind) {
    case 'rsync':
      if (phase === 'after-release') return [];
      return [
        step(
          `If ${primary.name} still answers: copy the last changes to ${standby.name}`,
          role,
          on(primary),
          [
            ...vipsOn(group, primary).map((v) => showVip(primary.os, v)),
            ...rsyncTo(data.paths, data.excludes, standby.ssh),
          ],
          `Copy only from the current holder of the group's address: the first check must print the address on ${primary.name}. If it prints nothing, do not copy.`,
        ),
      ];
    case 'postgres':
      if (phase === 'before-release') return [];
      return [
        step(
          `Promote the replica on ${standby.name} to primary`,
          role,
          on(standby),
          [psql(standby.os, data, 'SELECT pg_promote()'), psql(standby.os, data, 'SELECT pg_is_in_recovery()')],
          `Promote only when ${primary.name} is stopped or cut off. The second command must print "f".`,
        ),
      ];
    case 'drbd':
      return phase === 'before-release'
        ? [
            step(`Hand over the DRBD resource on ${primary.name}`, role, on(primary), [
              `umount ${shellWord(data.mountPoint)}`,
              `drbdadm secondary ${shellWord(data.resource)}`,
            ]),
          ]
        : [
            step(`Take over the DRBD resource on ${standby.name}`, role, on(standby), [
              `drbdadm primary ${shellWord(data.resource)}`,
              `mount ${shellWord(data.device)} ${shellWord(data.mountPoint)}`,
            ]),
          ];
    case 'shared-disk':
      return phase === 'before-release'
        ? [
            step(
              `Unmount the shared disk on ${primary.name}`,
              role,
              on(primary),
              [`umount ${shellWord(data.mountPoint)}`],
              'Never mount the disk on both servers at once.',
            ),
          ]
        : [
            step(`Mount the shared disk on ${standby.name}`, role, on(standby), [
              `mount ${shellWord(data.device)} ${shellWord(data.mountPoint)}`,
            ]),
          ];
    case 'backup-restore': {
      if (phase === 'before-release') return [];
      const command = data.restoreCommand.trim();
      return [
        step(
          `Restore the newest backup from ${data.backupPath} on ${standby.name}`,
          role,
          on(standby),
          command ? [command] : [],
          command
            ? 'The restore command as recorded in the inventory.'
            : 'No restore command is recorded: write it down here.',
        ),
      ];
    }
    case 'none':
      return [];
  }
}

/** Commands that prove the data side works on the new primary. */
export function dataVerification(group: ServiceGroup, standby: Server): string[] {
  const data = group.data;
  if (data.kind === 'postgres') return [psql(standby.os, data, 'SELECT pg_is_in_recovery()')];
  if (data.kind === 'drbd' || data.kind === 'shared-disk') return [`df -h -- ${shellWord(data.mountPoint)}`];
  return [];
}

/**
 * Bringing the repaired primary back. `prepare` runs while the standby still serves; `final` runs
 * after the standby's services stop and before it releases the address; `swapRoles` means moving
 * back is the recovery steps again with the two servers swapped (the data has a direction).
 */
export function dataSwitchback(
  group: ServiceGroup,
  primary: Server,
  standby: Server,
  role: string,
): { prepare: OutlineStep[]; final: OutlineStep[]; swapRoles: boolean } {
  const data = group.data;
  if (data.kind === 'postgres') {
    const dir = shellWord(data.dataDir);
    const prepare = step(
      `Rebuild ${primary.name} as a replica of ${standby.name}`,
      role,
      whereOn(primary),
      [
        `mv -- ${dir} ${shellWord(`${data.dataDir}.before-failover`)}`,
        asUser(primary.os, data.osUser, `pg_basebackup -h ${standby.ssh.host} -p ${data.port} -D ${dir} -R -X stream`),
      ],
      `The old data directory is kept aside, not deleted. Start PostgreSQL on ${primary.name} and wait until it is a replica (it prints "t" for pg_is_in_recovery()).`,
    );
    return { prepare: [prepare], final: [], swapRoles: true };
  }
  if (data.kind === 'rsync') {
    const copy = (title: string, note: string) =>
      step(
        title,
        role,
        whereOn(standby),
        [
          ...vipsOn(group, standby).map((v) => showVip(standby.os, v)),
          ...rsyncTo(data.paths, data.excludes, primary.ssh),
        ],
        note,
      );
    return {
      prepare: [
        copy(
          `Copy the changes made meanwhile back to ${primary.name}`,
          `${standby.name} holds the address now, so it is the only side that may copy: the first check must print the address.`,
        ),
      ],
      final: [copy(`Copy the last changes back to ${primary.name}`, 'Again only while the address is still here.')],
      swapRoles: false,
    };
  }
  if (data.kind === 'drbd' || data.kind === 'shared-disk') return { prepare: [], final: [], swapRoles: true };
  return { prepare: [], final: [], swapRoles: false };
}
